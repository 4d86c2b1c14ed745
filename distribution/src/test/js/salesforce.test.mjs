// jsforce, Salesforce's JavaScript SDK, with /v1/proxy/{account} as its instance URL and a
// Switchboard session as its access token: the SDK writes Salesforce's own paths
// (/services/data/v60.0/...) and follows the root-relative nextRecordsUrl the API returns.
// Run by SalesforceIT (SB_BASE, SB_SESSION, SB_ACCOUNT; three Sdk_Check__c records seeded, two per page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection } from 'jsforce';

const { SB_BASE, SB_SESSION, SB_ACCOUNT } = process.env;
const conn = new Connection({ instanceUrl: `${SB_BASE}/v1/proxy/${SB_ACCOUNT}`, accessToken: SB_SESSION, version: '60.0' });

test('a query pages through nextRecordsUrl', async () => {
  const first = await conn.query('SELECT Id, LastName FROM Sdk_Check__c', { autoFetch: false });
  assert.equal(first.totalSize, 3);
  assert.equal(first.records.length, 2);
  assert.equal(first.done, false);
  // Salesforce returns it root-relative; jsforce resolves it against its instance URL, i.e. through the proxy
  assert.ok(first.nextRecordsUrl.includes(`/v1/proxy/${SB_ACCOUNT}/services/data/v60.0/query/`), first.nextRecordsUrl);
  const rest = await conn.queryMore(first.nextRecordsUrl);
  assert.equal(rest.records.length, 1);
  assert.equal(rest.done, true);
  const names = [...first.records, ...rest.records].map((r) => r.LastName).sort();
  assert.deepEqual(names, ['Hopper', 'Lamarr', 'Lovelace']);
});

test('a record is created and retrieved', async () => {
  const created = await conn.sobject('Contact').create({ LastName: 'Noether', Email: 'emmy@example.com' });
  assert.equal(created.success, true);
  const record = await conn.sobject('Contact').retrieve(created.id);
  assert.equal(record.LastName, 'Noether');
  assert.equal(record.attributes.url, `/services/data/v60.0/sobjects/Contact/${created.id}`);
});

test("the provider's error passes through", async () => {
  await assert.rejects(conn.sobject('Contact').retrieve('003000000000000AAA'), (e) => e.errorCode === 'NOT_FOUND');
});
