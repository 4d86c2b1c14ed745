// @hubspot/api-client, HubSpot's JavaScript SDK, with /v1/proxy/{account} as its base path and a
// Switchboard session as its access token: the SDK writes HubSpot's own paths (/crm/v3/...).
// Run by HubSpotIT (SB_BASE, SB_SESSION, SB_ACCOUNT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';

const { SB_BASE, SB_SESSION, SB_ACCOUNT } = process.env;
const client = new Client({ accessToken: SB_SESSION, basePath: `${SB_BASE}/v1/proxy/${SB_ACCOUNT}`, numberOfApiCallRetries: 0 });

test('a contact is created, read and listed', async () => {
  const created = await client.crm.contacts.basicApi.create({ properties: { email: 'sdk@example.com', firstname: 'Sdk' } });
  assert.ok(created.id);
  const read = await client.crm.contacts.basicApi.getById(created.id, ['email', 'firstname']);
  assert.equal(read.properties.email, 'sdk@example.com');
  const page = await client.crm.contacts.basicApi.getPage(100);
  assert.ok(page.results.some((c) => c.id === created.id));
});

test("the provider's error passes through", async () => {
  await assert.rejects(client.crm.contacts.basicApi.getById('999999999'), (e) => e.code === 404);
});
