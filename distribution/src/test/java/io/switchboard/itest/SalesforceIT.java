package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProviderSdks;
import io.switchboard.testkit.conformance.CrmConformance;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.crm.FakeSalesforce;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Salesforce connector as it ships (a bundle in {@code deploy/}) against the Salesforce fake:
 * linking through the dialog (PKCE, signed token responses without expiry), identity from the
 * {@code id} URL, the REST API through the proxy with the stored token, a refresh on 401, an
 * {@code instance_url} outside Salesforce refused, and the bundle removed and put back while the
 * server runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SalesforceIT extends ConnectorTestSupport {

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeSalesforce salesforce;
    static String app;
    static String session;
    static String clientSecret;


    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            for (AutoCloseable c : new AutoCloseable[] {entra, salesforce}) {
                if (c != null) {
                    c.close();
                }
            }
            entra = new FakeEntraId();
            clientSecret = "sf-secret-" + UUID.randomUUID();
            salesforce = new FakeSalesforce("sf-client", clientSecret);
            salesforce.registerRedirectUri(http.base() + "v1/connect/callback");
            ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
            Configuration c = ca.getConfiguration("switchboard.connector.salesforce", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("login.url", salesforce.loginUrl());
            p.put("trusted.test.hosts", new String[] {"127.0.0.1"});
            c.update(p);
            AppSession a = appWith(http, entra, "salesforce", "sf-client", clientSecret);
            app = a.app();
            session = a.session();
            setUpFor = context;
        }
        return http;
    }

    /** Issue 17: Salesforce refuses a revoked refresh token with 400 invalid_grant "expired access/refresh token". */
    @Test
    public void aRefreshTokenSalesforceNoLongerHonoursMakesTheAccountNeedReauthorization() throws Exception {
        Http http = setUp();
        Http.Answer done = link(http);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        aDeadGrantNeedsReauthorizationAtOnce(http, session, salesforce, accountId(done));
    }

    @Test
    public void aTokenEndpointUnderMaintenanceIsTransient() throws Exception {
        Http http = setUp();
        Http.Answer done = link(http);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        ConnectorTestSupport.aTokenEndpointOutageIsTransient(http, session, salesforce, accountId(done));
    }

    /** Links through the dialog, waiting for the connector (hot-deployed from deploy/) to be there. */
    private static Http.Answer link(Http http) {
        Http.Answer start = http.get("v1/connect/salesforce/start?ticket=" + ticket(http, session, "salesforce"));
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        assertThat(start.header("Location")).startsWith(salesforce.authorizeUrl()).contains("code_challenge_method=S256")
                .contains("scope=api+refresh_token");
        Http.Answer consent = http.get(start.header("Location"));
        return http.send(http.request(consent.header("Location")).header("Cookie", start.header("Set-Cookie").split(";")[0]).GET().build());
    }

    private static String accountId(Http.Answer done) {
        Matcher m = LinkingIT.ACCOUNT_ID.matcher(done.body());
        assertThat(m.find()).as(done.body()).isTrue();
        return m.group(1);
    }

    private static Http.Answer proxy(Http http, String accountId, String path) {
        return http.send(http.request("v1/proxy/" + accountId + "/services/data/v60.0/" + path).header("Authorization", "Bearer " + session)
                .GET().build());
    }

    @Test
    public void linksASalesforceAccountAndCallsItsApiThroughTheProxy() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("ada");
        String contact = salesforce.seed("Contact", Map.of("LastName", "Lovelace", "Email", "ada@example.com"));
        Http.Answer done = link(http);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String accountId = accountId(done);
        JsonNode account = account(http, session, accountId);
        assertThat(account.path("externalId").asText()).isEqualTo(FakeSalesforce.ORG_ID + "/" + FakeSalesforce.userIdOf("ada"));
        assertThat(account.path("displayName").asText()).isEqualTo("ada@example.com.sandbox");
        assertThat(account.path("baseUrl").asText()).isEqualTo(salesforce.loginUrl() + "/services/data/v60.0");

        String soql = URLEncoder.encode("SELECT Id, LastName, Email FROM Contact WHERE Email = 'ada@example.com'", StandardCharsets.UTF_8);
        Http.Answer query = proxy(http, accountId, "query?q=" + soql);
        assertThat(query.status()).as(query.toString()).isEqualTo(200);
        assertThat(query.json().path("totalSize").asInt()).isEqualTo(1);
        assertThat(query.json().path("records").get(0).path("Id").asText()).isEqualTo(contact);
        assertThat(query.header("Sforce-Limit-Info")).startsWith("api-usage=");

        // Salesforce gives no expiry: the session ends, the provider answers 401, the vault refreshes once, the call succeeds.
        int refreshes = salesforce.refreshCalls();
        salesforce.expireAccessTokens();
        Http.Answer again = proxy(http, accountId, "sobjects/Contact/" + contact);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("LastName").asText()).isEqualTo("Lovelace");
        assertThat(salesforce.refreshCalls()).isEqualTo(refreshes + 1);

        Http.Answer missing = proxy(http, accountId, "sobjects/Contact/003000000000000AAA");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("NOT_FOUND");
    }

    /**
     * Salesforce's own SDK (jsforce) pointed at /v1/proxy/{account} as its instance URL, with the
     * session as its token: native paths, the root-relative nextRecordsUrl followed, a record
     * created and retrieved, the provider's error passed through (src/test/js/salesforce.test.mjs).
     */
    @Test
    public void salesforcesOwnJavaScriptSdkWorksThroughTheProxy() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("sdk");
        for (String name : new String[] {"Lovelace", "Hopper", "Lamarr"}) {
            salesforce.seed("Sdk_Check__c", Map.of("LastName", name));
        }
        Http.Answer done = link(http);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        salesforce.pageSize(2);
        try {
            ProviderSdks.run("salesforce.test.mjs", http, session, accountId(done));
        } finally {
            salesforce.pageSize(2000);
        }
    }

    @Test
    public void anInstanceUrlOutsideSalesforceIsRefusedBeforeAnyConnection() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("mallory");
        salesforce.instanceUrl("http://169.254.169.254");
        try {
            Http.Answer done = link(http);
            assertThat(done.status()).isEqualTo(502);
            assertThat(done.body()).contains("\"status\":\"error\"").contains("provider_unavailable");
            List<FakeRequest> identity = salesforce.requests().stream().filter(r -> r.path().startsWith("/id/")).toList();
            assertThat(identity.stream().filter(r -> r.path().endsWith(FakeSalesforce.userIdOf("mallory")))).isEmpty();
        } finally {
            salesforce.instanceUrl(null);
        }
    }

    @Test
    public void theConnectorBundleCanBeRemovedAndPutBackWhileTheServerRuns() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("grace");
        String accountId = accountId(link(http));
        Path deploy = Path.of(context.getProperty("switchboard.home"), "deploy");
        Path jar = deploy.resolve("connector.salesforce.jar");
        assertThat(jar).exists();
        Path aside = Files.move(jar, deploy.getParent().resolve("connector.salesforce.jar.removed"));
        try {
            awaitStatus(http, accountId, "CONNECTOR_MISSING");
            RuntimeIT.assertProblem(proxy(http, accountId, "sobjects/Contact/x"), 503, "connector-unavailable");
            assertThat(List.of(context.getBundles()).stream().map(Bundle::getSymbolicName))
                    .doesNotContain("io.switchboard.connector.salesforce");
        } finally {
            Files.move(aside, jar); // one rename: the deploy folder never holds a half-written jar
        }
        awaitStatus(http, accountId, "ACTIVE");
        assertThat(proxy(http, accountId, "query?q=" + URLEncoder.encode("SELECT Id FROM Contact", StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
    }

    // ---- the unified CRM API over Salesforce

    private static Http.Answer crm(Http http, String method, String path, String body) {
        return crm(http, session, method, path, body);
    }

    @Test
    public void theAddInJourneyFindsTheSenderAndLogsTheEmailOnTheContact() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("journey");
        String email = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contact = salesforce.seed("Contact", Map.of("FirstName", "Sam", "LastName", "Sender", "Email", email));
        String lead = salesforce.seed("Lead", Map.of("LastName", "Sender", "Company", "Acme", "Email", email));
        String accountId = accountId(link(http));

        Http.Answer people = crm(http, "GET", accountId + "/people?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8), null);
        assertThat(people.status()).as(people.toString()).isEqualTo(200);
        JsonNode items = people.json().path("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("id").asText()).isEqualTo(contact);
        assertThat(items.get(0).path("type").asText()).isEqualTo("contacts");
        assertThat(items.get(0).path("fields").path("lastName").asText()).isEqualTo("Sender");
        assertThat(items.get(0).has("remote")).isFalse();
        assertThat(items.get(1).path("id").asText()).isEqualTo(lead);
        assertThat(items.get(1).path("type").asText()).isEqualTo("leads");

        Http.Answer logged = crm(http, "POST", accountId + "/activities/emails", "{\"subject\":\"Re: pricing\",\"bodyText\":\"Thanks!\","
                + "\"from\":\"" + email + "\",\"to\":[\"me@example.org\"],\"date\":\"2026-11-28T09:00:00Z\",\"direction\":\"inbound\","
                + "\"contactIds\":[\"" + contact + "\"]}");
        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        String taskId = logged.json().path("id").asText();
        Map<String, Object> task = salesforce.records("Task").stream().filter(t -> taskId.equals(t.get("Id"))).findFirst().orElseThrow();
        assertThat(task).containsEntry("WhoId", contact).containsEntry("Subject", "Re: pricing").containsEntry("TaskSubtype", "Email")
                .containsEntry("Status", "Completed").containsEntry("ActivityDate", "2026-11-28");
        assertThat(String.valueOf(task.get("Description"))).contains("Thanks!").contains("From: " + email);

        Http.Answer meeting = crm(http, "POST", accountId + "/activities/meetings", "{\"subject\":\"Demo\",\"date\":\"2026-12-01T15:00:00Z\","
                + "\"contactIds\":[\"" + contact + "\"]}");
        assertThat(meeting.status()).as(meeting.toString()).isEqualTo(201);
        Map<String, Object> event = salesforce.records("Event").stream().filter(e -> meeting.json().path("id").asText().equals(e.get("Id")))
                .findFirst().orElseThrow();
        assertThat(event).containsEntry("WhoId", contact).containsEntry("StartDateTime", "2026-12-01T15:00:00Z")
                .containsEntry("EndDateTime", "2026-12-01T15:30:00Z");
    }

    @Test
    public void recordsRoundTripAndPageWithAnOpaqueCursor() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("pager");
        String accountId = accountId(link(http));
        Http.Answer created = crm(http, "POST", accountId + "/companies", "{\"name\":\"Analytical Engines Ltd\",\"domain\":\"engines.example\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String companyId = created.json().path("id").asText();
        for (int i = 0; i < 5; i++) {
            Http.Answer c = crm(http, "POST", accountId + "/contacts",
                    "{\"firstName\":\"P" + i + "\",\"lastName\":\"Pager\",\"companyId\":\"" + companyId + "\"}");
            assertThat(c.status()).as(c.toString()).isEqualTo(201);
            assertThat(c.json().path("fields").path("companyId").asText()).isEqualTo(companyId);
        }
        java.util.Set<String> seen = pageThrough(http, session, accountId + "/contacts", 3);
        assertThat(seen).hasSize(salesforce.records("Contact").size());

        String id = crm(http, "POST", accountId + "/contacts", "{\"lastName\":\"Hopper\",\"email\":\"grace@example.com\"}").json().path("id").asText();
        Http.Answer updated = crm(http, "PATCH", accountId + "/contacts/" + id, "{\"title\":\"Rear Admiral\"}");
        assertThat(updated.json().path("fields").path("title").asText()).isEqualTo("Rear Admiral");
        Http.Answer withRemote = crm(http, "GET", accountId + "/contacts/" + id + "?remote=true", null);
        assertThat(withRemote.json().path("remote").path("attributes").path("type").asText()).isEqualTo("Contact");
    }

    @Test
    public void passesTheConnectorConformanceSuite() throws Exception {
        Http http = setUp();
        assertThat(new CrmConformance(new SwitchboardClient(http.base(), session), CrmSubjects.salesforce(salesforce)).runAll()).hasSize(9);
    }

    @Test
    public void providerErrorsBecomeProblemsWithTheProvidersMessage() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("errors");
        String accountId = accountId(link(http));
        Http.Answer missing = crm(http, "GET", accountId + "/contacts/003000000000000AAA", null);
        RuntimeIT.assertProblem(missing, 404, "not-found");
        assertThat(missing.json().path("providerMessage").asText()).contains("NOT_FOUND");
        Http.Answer invalid = crm(http, "POST", accountId + "/contacts", "{\"firstName\":\"No last name\"}");
        RuntimeIT.assertProblem(invalid, 422, "validation");
        assertThat(invalid.json().path("providerMessage").asText()).contains("REQUIRED_FIELD_MISSING");
        RuntimeIT.assertProblem(crm(http, "POST", accountId + "/contacts", "{\"lastname\":\"typo\"}"), 422, "validation");
        RuntimeIT.assertProblem(crm(http, "GET", accountId + "/widgets", null), 404, "not-found");
        // A 401 from Salesforce: one refresh, one retry, success.
        int refreshes = salesforce.refreshCalls();
        salesforce.expireAccessTokens();
        assertThat(crm(http, "GET", accountId + "/contacts?limit=1", null).status()).isEqualTo(200);
        assertThat(salesforce.refreshCalls()).isEqualTo(refreshes + 1);
        // Another user's account id: 404, and Salesforce sees nothing.
        int calls = salesforce.apiCalls();
        String stranger = session(http, entra, app);
        Http.Answer foreign = http.send(http.request("v1/crm/" + accountId + "/contacts").header("Authorization", "Bearer " + stranger)
                .GET().build());
        RuntimeIT.assertProblem(foreign, 404, "not-found");
        assertThat(salesforce.apiCalls()).isEqualTo(calls);
    }

    private static void awaitStatus(Http http, String accountId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).GET().build())
                .json().path("status").asText().equals(status)) {
            assertThat(System.nanoTime()).as("account " + status).isLessThan(deadline);
            sleep(200);
        }
    }
}
