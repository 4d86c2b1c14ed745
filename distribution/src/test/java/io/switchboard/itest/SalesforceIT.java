package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.ADMIN;
import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.IdentityIT.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.crm.FakeSalesforce;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
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
public class SalesforceIT extends SwitchboardTestSupport {
    static final String API = "api://salesforce-it";
    static final String TENANT = "ffffffff-2222-3333-4444-555555555555";

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeSalesforce salesforce;
    static String app;
    static String session;
    static String clientSecret;

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\nallow.insecure.issuers=true\n",
                "switchboard.tokens.cfg", "allow.private.addresses=true\n",
                "switchboard.proxy.cfg", "allow.private.addresses=true\n");
    }

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
            ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
            Configuration c = ca.getConfiguration("switchboard.connector.salesforce", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("login.url", salesforce.loginUrl());
            p.put("trusted.test.hosts", new String[] {"127.0.0.1"});
            c.update(p);
            Map<String, Object> settings = Map.of("identity", Map.of("entra", Map.of("audiences", List.of(API),
                    "tenants", List.of("organizations"), "authority", entra.authority())));
            JsonNode a = admin(http, "POST", "admin/v1/apps", Map.of("name", "salesforce app", "settings", settings)).json();
            app = a.path("id").asText();
            Http.Answer enabled = LinkingIT.developer(http, "PUT", app, a.path("secret").asText(), "connectors/salesforce",
                    "{\"clientId\":\"sf-client\",\"clientSecret\":\"" + clientSecret + "\"}");
            assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
            session = signIn(http, app, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "x").build()))
                    .path("accessToken").asText();
            setUpFor = context;
        }
        return http;
    }

    /** Links through the dialog, waiting for the connector (hot-deployed from deploy/) to be there. */
    private static Http.Answer link(Http http) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Answer ticket;
        while ((ticket = http.send(http.request("v1/connect/salesforce/tickets").header("Authorization", "Bearer " + session)
                .POST(HttpRequest.BodyPublishers.noBody()).build())).status() != 200) {
            assertThat(System.nanoTime()).as("the Salesforce connector deployed: " + ticket).isLessThan(deadline);
            sleep(200);
        }
        Http.Answer start = http.get("v1/connect/salesforce/start?ticket=" + ticket.json().path("ticket").asText());
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
        return http.send(http.request("v1/proxy/" + accountId + "/" + path).header("Authorization", "Bearer " + session).GET().build());
    }

    @Test
    public void linksASalesforceAccountAndCallsItsApiThroughTheProxy() throws Exception {
        Http http = setUp();
        salesforce.signedInUser("ada");
        String contact = salesforce.seed("Contact", Map.of("LastName", "Lovelace", "Email", "ada@example.com"));
        Http.Answer done = link(http);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String accountId = accountId(done);
        JsonNode account = http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).GET().build())
                .json();
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

    private static void awaitStatus(Http http, String accountId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).GET().build())
                .json().path("status").asText().equals(status)) {
            assertThat(System.nanoTime()).as("account " + status).isLessThan(deadline);
            sleep(200);
        }
    }
}
