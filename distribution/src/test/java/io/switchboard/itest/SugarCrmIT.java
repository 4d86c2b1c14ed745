package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.testkit.conformance.CrmConformance;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.crm.FakeSugarCrm;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The SugarCRM connector as it ships (a bundle in {@code deploy/}) against a Sugar instance fake:
 * password-grant linking through the form with a dedicated platform, the {@code OAuth-Token}
 * header, the add-in journey, {@code next_offset} paging, a refresh (rotating the refresh token)
 * on 401, and logout on unlink.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SugarCrmIT extends ConnectorTestSupport {

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeSugarCrm sugar;
    static String app;
    static String session;
    static String password;


    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            for (AutoCloseable c : new AutoCloseable[] {entra, sugar}) {
                if (c != null) {
                    c.close();
                }
            }
            entra = new FakeEntraId();
            sugar = new FakeSugarCrm();
            password = "pw-" + UUID.randomUUID();
            AppSession a = appWith(http, entra, "sugarcrm", "sugar", "");
            app = a.app();
            session = a.session();
            setUpFor = context;
        }
        return http;
    }

    /** Issue 17: Sugar refuses a dead refresh token with 401 {"error":"invalid_grant","error_message":…}. */
    @Test
    public void aRefreshTokenSugarNoLongerKnowsMakesTheAccountNeedReauthorization() throws Exception {
        Http http = setUp();
        aDeadGrantNeedsReauthorizationAtOnce(http, session, sugar, link(http, "gone-" + java.util.UUID.randomUUID()));
    }

    @Test
    public void aTokenEndpointUnderMaintenanceIsTransient() throws Exception {
        Http http = setUp();
        ConnectorTestSupport.aTokenEndpointOutageIsTransient(http, session, sugar, link(http, "maintenance-" + java.util.UUID.randomUUID()));
    }

    private static String link(Http http, String user) {
        sugar.user(user, password);
        return client(http, session).linkWithPassword("sugarcrm", Map.of("instance", sugar.instanceUrl(), "username", user,
                "password", password));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Http.Answer crm(Http http, String method, String path, String body) {
        return crm(http, session, method, path, body);
    }

    @Test
    public void theAddInJourneyOverAPasswordLinkedInstance() throws Exception {
        Http http = setUp();
        String accountId = link(http, "alice");
        assertThat(sugar.platforms()).last().isEqualTo("switchboard");
        JsonNode account = account(http, session, accountId);
        assertThat(account.path("externalId").asText()).isEqualTo("127.0.0.1/user-alice");
        assertThat(account.path("baseUrl").asText()).isEqualTo(sugar.instanceUrl() + "/rest/v11_x");

        String email = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contact = sugar.seed("Contacts", Map.of("first_name", "Sam", "last_name", "Sender", "email1", email));
        String lead = sugar.seed("Leads", Map.of("last_name", "Sender", "account_name", "Acme", "email1", email));
        Http.Answer people = crm(http, "GET", accountId + "/people?email=" + enc(email), null);
        assertThat(people.status()).as(people.toString()).isEqualTo(200);
        assertThat(people.json().path("items")).hasSize(2);
        assertThat(people.json().path("items").get(0).path("id").asText()).isEqualTo(contact);
        assertThat(people.json().path("items").get(1).path("id").asText()).isEqualTo(lead);
        assertThat(people.json().path("items").get(1).path("fields").path("company").asText()).isEqualTo("Acme");

        Http.Answer logged = crm(http, "POST", accountId + "/activities/emails", "{\"subject\":\"Re: pricing\",\"bodyText\":\"Thanks!\","
                + "\"from\":\"" + email + "\",\"to\":[\"me@example.org\"],\"date\":\"2026-11-28T09:00:00Z\",\"direction\":\"inbound\","
                + "\"contactIds\":[\"" + contact + "\"]}");
        assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
        Map<String, Object> archived = sugar.records("Emails").stream().filter(e -> logged.json().path("id").asText().equals(e.get("id")))
                .findFirst().orElseThrow();
        assertThat(archived).containsEntry("parent_type", "Contacts").containsEntry("parent_id", contact)
                .containsEntry("state", "Archived").containsEntry("name", "Re: pricing").containsEntry("type", "inbound");

        Http.Answer meeting = crm(http, "POST", accountId + "/activities/meetings", "{\"subject\":\"Demo\",\"date\":\"2026-12-01T15:00:00Z\","
                + "\"contactIds\":[\"" + contact + "\"]}");
        assertThat(meeting.status()).as(meeting.toString()).isEqualTo(201);
        Map<String, Object> held = sugar.records("Meetings").stream().filter(e -> meeting.json().path("id").asText().equals(e.get("id")))
                .findFirst().orElseThrow();
        assertThat(held).containsEntry("parent_id", contact).containsEntry("date_start", "2026-12-01T15:00:00Z").containsEntry("name", "Demo");

        // The proxy carries the token in OAuth-Token.
        Http.Answer me = http.send(http.request("v1/proxy/" + accountId + "/rest/v11_x/me").header("Authorization", "Bearer " + session).GET().build());
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("current_user").path("user_name").asText()).isEqualTo("alice");
    }

    @Test
    public void passesTheConnectorConformanceSuite() throws Exception {
        Http http = setUp();
        assertThat(new CrmConformance(new SwitchboardClient(http.base(), session), CrmSubjects.sugar(sugar)).runAll()).hasSize(9);
    }

    @Test
    public void rotatingRefreshAndLogoutOnUnlink() throws Exception {
        Http http = setUp();
        String accountId = link(http, "bob");

        int refreshes = sugar.refreshCalls();
        sugar.expireAccessTokens();
        Http.Answer after = crm(http, "GET", accountId + "/companies?limit=1", null);
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(sugar.refreshCalls()).isEqualTo(refreshes + 1);
        assertThat(sugar.grantErrors()).as("the rotated refresh token was stored, never reused").isZero();

        int logouts = sugar.logouts().size();
        assertThat(http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).DELETE().build())
                .status()).isEqualTo(204);
        assertThat(sugar.logouts()).hasSize(logouts + 1);
    }
}
