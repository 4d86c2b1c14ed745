package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProviderSdks;
import io.switchboard.testkit.conformance.CrmConformance;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.crm.FakeHubSpot;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The HubSpot connector as it ships (a bundle in {@code deploy/}) against the HubSpot fake:
 * linking (identity from the token-info endpoint), the add-in journey (people by email, an email
 * engagement associated with the contact), paging, HubSpot's missing leads, error mapping, a
 * refresh on 401, and unlinking (the refresh token deleted at HubSpot).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HubSpotIT extends ConnectorTestSupport {

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeHubSpot hubspot;
    static String app;
    static String session;


    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            for (AutoCloseable c : new AutoCloseable[] {entra, hubspot}) {
                if (c != null) {
                    c.close();
                }
            }
            entra = new FakeEntraId();
            String secret = "hs-secret-" + UUID.randomUUID();
            hubspot = new FakeHubSpot("hs-client", secret);
            hubspot.registerRedirectUri(http.base() + "v1/connect/callback");
            Configuration c = service(ConfigurationAdmin.class, null).getConfiguration("switchboard.connector.hubspot", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("authorization.url", hubspot.authorizeUrl());
            p.put("token.url", hubspot.tokenUrl());
            p.put("api.url", hubspot.baseUri().toString());
            c.update(p);
            AppSession a = appWith(http, entra, "hubspot", "hs-client", secret);
            app = a.app();
            session = a.session();
            setUpFor = context;
        }
        return http;
    }

    private static String link(Http http, String user) {
        hubspot.signedInUser(user);
        return client(http, session).linkThroughDialog("hubspot", hubspot.authorizeUrl(), "code_challenge");
    }

    private static Http.Answer crm(Http http, String method, String path, String body) {
        return crm(http, session, method, path, body);
    }

    /**
     * HubSpot's own SDK (@hubspot/api-client) with /v1/proxy/{account} as its base path and the
     * session as its token: a contact created, read and listed, a 404 passed through
     * (src/test/js/hubspot.test.mjs).
     */
    @Test
    public void hubspotsOwnJavaScriptSdkWorksThroughTheProxy() throws Exception {
        Http http = setUp();
        ProviderSdks.run("hubspot.test.mjs", http, session, link(http, "sdk"));
    }

    @Test
    public void theAddInJourneyFindsTheSenderAndLogsTheEmailOnTheContact() throws Exception {
        Http http = setUp();
        String accountId = link(http, "journey");
        JsonNode account = account(http, session, accountId);
        assertThat(account.path("externalId").asText()).startsWith(FakeHubSpot.HUB_ID + "/");
        assertThat(account.path("displayName").asText()).isEqualTo("journey@example.com (demo-" + FakeHubSpot.HUB_ID + ".hubspot.com)");
        assertThat(account.path("baseUrl").asText()).isEqualTo(hubspot.baseUri().toString());

        String email = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contact = hubspot.seed("contacts", Map.of("firstname", "Sam", "lastname", "Sender", "email", email));
        Http.Answer people = crm(http, "GET", accountId + "/people?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8), null);
        assertThat(people.status()).as(people.toString()).isEqualTo(200);
        assertThat(people.json().path("items")).hasSize(1);
        assertThat(people.json().path("items").get(0).path("id").asText()).isEqualTo(contact);
        assertThat(people.json().path("items").get(0).path("fields").path("email").asText()).isEqualTo(email);

        Http.Answer logged = crm(http, "POST", accountId + "/activities/emails", "{\"subject\":\"Re: pricing\",\"bodyText\":\"Thanks!\","
                + "\"from\":\"" + email + "\",\"to\":[\"me@example.org\"],\"date\":\"2026-11-28T09:00:00Z\",\"direction\":\"inbound\","
                + "\"contactIds\":[\"" + contact + "\"]}");
        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        String emailId = logged.json().path("id").asText();
        Map<String, Object> engagement = hubspot.records("emails").stream().filter(e -> emailId.equals(e.get("id"))).findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) engagement.get("properties");
        assertThat(props).containsEntry("hs_email_subject", "Re: pricing").containsEntry("hs_email_direction", "INCOMING_EMAIL")
                .containsEntry("hs_email_text", "Thanks!").containsEntry("hs_timestamp", "2026-11-28T09:00:00Z");
        assertThat(String.valueOf(engagement.get("associations"))).contains("id=" + contact).contains("associationTypeId=198");

        Http.Answer meeting = crm(http, "POST", accountId + "/activities/meetings", "{\"subject\":\"Demo\",\"bodyText\":\"Agenda\","
                + "\"date\":\"2026-12-01T15:00:00Z\",\"contactIds\":[\"" + contact + "\"]}");
        assertThat(meeting.status()).as(meeting.toString()).isEqualTo(201);
        Map<String, Object> held = hubspot.records("meetings").stream().filter(e -> meeting.json().path("id").asText().equals(e.get("id")))
                .findFirst().orElseThrow();
        assertThat(String.valueOf(held.get("properties"))).contains("hs_meeting_title=Demo").contains("hs_meeting_start_time=2026-12-01T15:00:00Z");
        assertThat(String.valueOf(held.get("associations"))).contains("id=" + contact).contains("associationTypeId=200");
    }

    @Test
    public void passesTheConnectorConformanceSuite() throws Exception {
        Http http = setUp();
        assertThat(new CrmConformance(new SwitchboardClient(http.base(), session), CrmSubjects.hubspot(hubspot)).runAll()).hasSize(9);
    }

    @Test
    public void validationProblemsCarryHubSpotsMessage() throws Exception {
        Http http = setUp();
        String accountId = link(http, "errors");
        Http.Answer invalid = crm(http, "POST", accountId + "/contacts", "{\"lastName\":\"X\",\"email\":\"not-an-address\"}");
        RuntimeIT.assertProblem(invalid, 422, "validation");
        assertThat(invalid.json().path("providerMessage").asText()).contains("VALIDATION_ERROR");
    }

    @Test
    public void theCrmApiAndTheProxySpendOneBudgetPerAccount() throws Exception {
        Http http = setUp();
        Configuration c = service(ConfigurationAdmin.class, null).getConfiguration("switchboard.connector.hubspot", "?");
        java.util.Dictionary<String, Object> saved = c.getProperties();
        Hashtable<String, Object> tight = copyOf(saved);
        tight.put("budget.requests", "3");
        tight.put("budget.window.seconds", "60");
        c.update(tight);
        String accountId = null;
        try {
            accountId = link(http, "budgeted");
            // The connector restarts with its new budget; CRM calls spend it until HubSpot is not called any more.
            Http.Answer refused = null;
            for (int i = 0; i < 150 && refused == null; i++) {
                Http.Answer a = crm(http, "GET", accountId + "/companies?limit=1", null);
                if (a.status() == 429) {
                    refused = a;
                } else {
                    assertThat(a.status()).as(a.toString()).isEqualTo(200);
                }
            }
            assertThat(refused).as("the budget is spent").isNotNull();
            RuntimeIT.assertProblem(refused, 429, "rate-limited");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
            int calls = hubspot.apiCalls();
            RuntimeIT.assertProblem(crm(http, "GET", accountId + "/contacts?limit=1", null), 429, "rate-limited");
            Http.Answer proxied = http.send(http.request("v1/proxy/" + accountId + "/crm/v3/objects/contacts").header("Authorization",
                    "Bearer " + session).GET().build());
            RuntimeIT.assertProblem(proxied, 429, "rate-limited");
            assertThat(hubspot.apiCalls()).as("HubSpot sees no call once the budget is spent").isEqualTo(calls);
        } finally {
            Hashtable<String, Object> back = copyOf(saved);
            c.update(back);
        }
        // The upgraded connector's budget applies from the next call (cached tokens follow the installed connector).
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (crm(http, "GET", accountId + "/companies?limit=1", null).status() != 200) {
            assertThat(System.nanoTime()).as("the default budget back").isLessThan(deadline);
            sleep(100);
        }
    }

    /**
     * Issue 17: HubSpot refuses a dead refresh token with 400 {"status":"BAD_REFRESH_TOKEN",...} and no
     * OAuth error. Read as a transient failure before, the account cooled down forever instead of
     * asking the user to link again.
     */
    @Test
    public void aRefreshTokenHubSpotNoLongerKnowsMakesTheAccountNeedReauthorization() throws Exception {
        Http http = setUp();
        aDeadGrantNeedsReauthorizationAtOnce(http, session, hubspot, link(http, "uninstalled-" + UUID.randomUUID()));
    }

    @Test
    public void aRateLimitedTokenEndpointIsTransient() throws Exception {
        Http http = setUp();
        ConnectorTestSupport.aTokenEndpointOutageIsTransient(http, session, hubspot, link(http, "busy-" + UUID.randomUUID()));
    }

    @Test
    public void unlinkingDeletesTheRefreshTokenAtHubSpot() throws Exception {
        Http http = setUp();
        String accountId = link(http, "leaver");
        int revoked = hubspot.revokedTokens().size();
        assertThat(http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).DELETE().build())
                .status()).isEqualTo(204);
        assertThat(hubspot.revokedTokens()).hasSize(revoked + 1);
        assertThat(hubspot.revokedTokens().get(revoked)).startsWith("rt_");
    }
}
