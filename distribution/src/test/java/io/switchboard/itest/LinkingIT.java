package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.ADMIN;
import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.IdentityIT.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.vault.api.TokenVault;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.PrometheusText;
import io.switchboard.itest.support.LogCapture;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import io.switchboard.testkit.oauth.OAuthProfile;
import io.switchboard.testkit.webhooks.FakeWebhookReceiver;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Linking accounts through the dialog pages over HTTP (OAuth code + PKCE, password grant), the
 * callback attacks that must not reach a token endpoint, unlinking, the vault's refresh
 * behaviour (single flight, invalid_grant, a storm of provider failures under a compressed
 * clock), secrets at rest (database dump canaries, moved ciphertexts, online key rotation) and
 * secrets in logs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LinkingIT extends SwitchboardTestSupport {
    static final String API = "api://linking";
    static final String TENANT = "cccccccc-2222-3333-4444-555555555555";
    static final String RETURN_URL = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/linked";
    static final Pattern ACCOUNT_ID = Pattern.compile("\"accountId\":\"([0-9a-f-]{36})\"");
    static final Pattern STATE_FIELD = Pattern.compile("name=\"state\" value=\"([^\"]+)\"");

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeOAuthProvider oauthA;
    static FakeOAuthProvider oauthB;
    static FakeOAuthProvider sugar;
    static String app;
    static String appSecret;
    static String otherApp;
    static String clientSecretA;
    static String password;

    record Session(String token, String userId) {}

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\nallow.insecure.issuers=true\n",
                "switchboard.outbound.cfg", "allow.private.addresses=true\n",
                "switchboard.webhooks.cfg", "allow.http=true\n"); // the webhook receiver listens on plain loopback
    }

    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            for (AutoCloseable c : new AutoCloseable[] {entra, oauthA, oauthB, sugar}) {
                if (c != null) {
                    c.close();
                }
            }
            entra = new FakeEntraId();
            clientSecretA = "CLIENTSECRET" + UUID.randomUUID().toString().replace("-", "");
            password = "PASSWORD" + UUID.randomUUID().toString().replace("-", "");
            // Each provider as strict as the connector declared for it: A takes PKCE (required) and the client
            // in the form, B no PKCE and the client as Basic only, the password provider JSON bodies only.
            oauthA = new FakeOAuthProvider("client-a", clientSecretA, OAuthProfile.standard("").withPkce(OAuthProfile.Pkce.REQUIRED)
                    .withClientAuthentication(OAuthProfile.ClientAuthentication.BODY));
            oauthB = new FakeOAuthProvider("client-b", "secret-b", OAuthProfile.standard("").withPkce(OAuthProfile.Pkce.UNSUPPORTED)
                    .withClientAuthentication(OAuthProfile.ClientAuthentication.BASIC));
            sugar = new FakeOAuthProvider("sugar", "", OAuthProfile.standard("").withGrantTypes("password", "refresh_token")
                    .withClientAuthentication(OAuthProfile.ClientAuthentication.BODY).withEncoding(OAuthProfile.BodyEncoding.JSON));
            oauthA.registerRedirectUri(http.base() + "v1/connect/callback");
            oauthB.registerRedirectUri(http.base() + "v1/connect/callback");
            sugar.user("alice", password);
            connector("oauth-a", oauthA, "OAUTH2_CODE_PKCE", oauthA.authorizeUrl(), oauthA.tokenUrl(), oauthA.revokeUrl(),
                    oauthA.baseUri() + "/userinfo", oauthA.baseUri() + "/api", "FORM_CLIENT_IN_BODY");
            connector("oauth-b", oauthB, "OAUTH2_CODE", oauthB.authorizeUrl(), oauthB.tokenUrl(), null,
                    oauthB.baseUri() + "/userinfo", oauthB.baseUri() + "/api", "FORM_CLIENT_BASIC");
            connector("pw", sugar, "PASSWORD_GRANT", null, "{instance}/token", null, "{instance}/userinfo",
                    "{instance}/rest/v11_x", "JSON_CLIENT_IN_BODY");
            JsonNode a = createApp(http);
            app = a.path("id").asText();
            appSecret = a.path("secret").asText();
            JsonNode b = createApp(http);
            otherApp = b.path("id").asText();
            enable(http, app, b.path("secret").asText(), "oauth-a", "client-a", clientSecretA);
            enable(http, app, appSecret, "oauth-a", "client-a", clientSecretA);
            enable(http, app, appSecret, "oauth-b", "client-b", "secret-b");
            enable(http, app, appSecret, "pw", "sugar", "");
            enable(http, otherApp, b.path("secret").asText(), "oauth-a", "client-a", clientSecretA);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!developer(http, "GET", app, appSecret, "connectors", null).body().contains("\"pw\"")) {
                assertThat(System.nanoTime()).as("connectors registered").isLessThan(deadline);
                sleep(100);
            }
            setUpFor = context;
        }
        return http;
    }

    private static double refreshMeter(Http http, String outcome) {
        Http.Answer metrics = http.send(http.request("metrics").header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(metrics.status()).isEqualTo(200);
        return PrometheusText.value(metrics.body(), "switchboard_vault_refreshes_total", "connector", "oauth-a", "outcome", outcome);
    }

    private void connector(String id, FakeOAuthProvider fake, String kind, String authorize, String token, String revoke,
                           String userinfo, String api, String style) throws Exception {
        ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
        Configuration c = ca.getFactoryConfiguration("switchboard.connector.generic", id, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("connector.id", id);
        p.put("display.name", "Fake " + id);
        p.put("auth.kind", kind);
        if (authorize != null) {
            p.put("authorization.url", authorize);
        }
        p.put("token.url", token);
        if (revoke != null) {
            p.put("revocation.url", revoke);
        }
        p.put("userinfo.url", userinfo);
        p.put("api.base.url", api);
        p.put("scopes", new String[] {"crm.read", "offline_access"});
        p.put("token.request", style);
        p.put("extra.token.parameters", new String[] {"PASSWORD_GRANT".equals(kind) ? "platform=switchboard" : "audience=crm"});
        c.update(p);
    }

    private static JsonNode createApp(Http http) {
        Map<String, Object> settings = Map.of(
                "returnUrls", List.of(RETURN_URL),
                "identity", Map.of("entra", Map.of("audiences", List.of(API), "tenants", List.of("organizations"),
                        "authority", entra.authority())));
        Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "linking app", "settings", settings));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static void enable(Http http, String appId, String secret, String connector, String clientId, String clientSecret) {
        Http.Answer put = developer(http, "PUT", appId, secret, "connectors/" + connector,
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\"}");
        if (!appId.equals(app) || secret.equals(appSecret)) {
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(put.body()).doesNotContain(clientSecret.isEmpty() ? "\u0000" : clientSecret);
        } else {
            assertThat(put.status()).as("another app's secret").isEqualTo(401);
        }
    }

    static Http.Answer developer(Http http, String method, String appId, String secret, String path, String body) {
        return http.send(http.request("admin/v1/apps/" + appId + "/" + path).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Session session(Http http, String appId) {
        JsonNode s = signIn(http, appId, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "x").build()));
        return new Session(s.path("accessToken").asText(), s.path("user").path("id").asText());
    }

    private static String ticket(Http http, Session s, String connector) {
        Http.Answer t = http.send(http.request("v1/connect/" + connector + "/tickets").header("Authorization", "Bearer " + s.token())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        assertThat(t.json().path("startUrl").asText()).contains("/v1/connect/" + connector + "/start?ticket=");
        return t.json().path("ticket").asText();
    }

    private static Http.Answer get(Http http, String url, String cookie) {
        HttpRequest.Builder b = http.request(url).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build());
    }

    /** What the dialog does up to the provider's redirect back: the callback URL and the browser's cookie. */
    record Pending(String callbackUrl, String cookie, String state) {}

    private static Pending startOAuth(Http http, Session s, String connector, FakeOAuthProvider provider, String returnUrl) {
        String url = "v1/connect/" + connector + "/start?ticket=" + ticket(http, s, connector) + "&_host_info=Outlook%24Win32%2416.02%24en-US"
                + (returnUrl == null ? "" : "&returnUrl=" + URLEncoder.encode(returnUrl, StandardCharsets.UTF_8));
        Http.Answer start = get(http, url, null);
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        String location = start.header("Location");
        assertThat(location).startsWith(provider.authorizeUrl()).contains("state=").contains("client_id=");
        String cookie = start.header("Set-Cookie").split(";")[0];
        Http.Answer consent = get(http, location, null);
        assertThat(consent.status()).isEqualTo(302);
        String callback = consent.header("Location");
        assertThat(callback).startsWith(http.base() + "v1/connect/callback?");
        Matcher state = Pattern.compile("state=([^&]+)").matcher(location);
        assertThat(state.find()).isTrue();
        return new Pending(callback, cookie, state.group(1));
    }

    private static String linkOAuth(Http http, Session s) {
        Pending p = startOAuth(http, s, "oauth-a", oauthA, null);
        Http.Answer done = get(http, p.callbackUrl(), p.cookie());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        return accountIdOf(done);
    }

    private static String accountIdOf(Http.Answer page) {
        Matcher m = ACCOUNT_ID.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    private static Http.Answer user(Http http, Session s, String method, String path) {
        return http.send(http.request(path).header("Authorization", "Bearer " + s.token())
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static int tokenRequests(FakeOAuthProvider fake) {
        return (int) fake.requests().stream().filter(r -> r.path().equals("/token")).count();
    }

    // ---- linking over HTTP

    @Test
    public void linksAnOAuthAccountThroughTheOfficeDialogAndUnlinksIt() throws Exception {
        Http http = setUp();
        try (LogCapture logs = LogCapture.start()) {
            linkUseAndUnlink(http);
            assertNoSecretIn(logs);
        }
    }

    /** S20: no token, code, verifier, state, client secret or password of the fakes in any log line. */
    private static void assertNoSecretIn(LogCapture logs) {
        List<String> secrets = new ArrayList<>();
        for (FakeOAuthProvider fake : List.of(oauthA, oauthB, sugar)) {
            secrets.addAll(fake.issuedTokens());
            secrets.addAll(fake.presentedPasswords());
            for (FakeRequest r : fake.requests()) {
                for (String name : List.of("code", "code_verifier", "state", "code_challenge")) {
                    Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]{16,})").matcher(r.path().equals("/token") ? r.bodyText()
                            : r.query() == null ? "" : r.query());
                    while (m.find()) {
                        secrets.add(java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        secrets.add(clientSecretA);
        secrets.add(password);
        assertThat(secrets).hasSizeGreaterThan(5);
        assertThat(logs.lines()).isNotEmpty();
        for (LogCapture.Line line : logs.lines()) {
            String text = line.message() + " " + line.thrown() + " " + line.mdc();
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private void linkUseAndUnlink(Http http) throws Exception {
        Session s = session(http, app);
        oauthA.signedInUser("office-user-" + UUID.randomUUID());
        Pending p = startOAuth(http, s, "oauth-a", oauthA, null);
        FakeRequest authorize = oauthA.requests().stream().filter(r -> r.path().equals("/authorize")).reduce((x, y) -> y).orElseThrow();
        assertThat(authorize.query()).contains("code_challenge_method=S256").contains("code_challenge=")
                .contains("scope=crm.read+offline_access").contains("redirect_uri=");
        assertThat(p.state().length()).as("state of 256 bits").isGreaterThanOrEqualTo(43);

        Http.Answer done = get(http, p.callbackUrl(), p.cookie());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.contentType()).startsWith("text/html");
        assertThat(done.body()).contains("Office.context.ui.messageParent").contains("\"status\":\"ok\"");
        assertThat(done.header("Cross-Origin-Opener-Policy")).isNotEqualTo("same-origin");
        assertThat(done.header("Cache-Control")).isEqualTo("no-store");
        for (String token : oauthA.issuedTokens()) {
            assertThat(done.body()).doesNotContain(token);
        }
        String accountId = accountIdOf(done);

        FakeRequest redeem = oauthA.requests().stream().filter(r -> r.path().equals("/token")).reduce((x, y) -> y).orElseThrow();
        assertThat(redeem.bodyText()).contains("code_verifier=").contains("grant_type=authorization_code").contains("audience=crm");

        JsonNode account = user(http, s, "GET", "v1/accounts/" + accountId).json();
        assertThat(account.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(account.path("connector").asText()).isEqualTo("oauth-a");
        assertThat(account.path("displayName").asText()).endsWith("@provider.example");
        assertThat(account.path("baseUrl").asText()).isEqualTo(oauthA.baseUri() + "/api");
        assertThat(account.toString()).doesNotContain("at_").doesNotContain("rt_");

        // Linking the same provider account again updates the account instead of adding one.
        String again = linkOAuth(http, s);
        assertThat(again).isEqualTo(accountId);
        assertThat(user(http, s, "GET", "v1/accounts").json().path("items")).hasSize(1);

        // The developer's server gets a valid token; another user and another app see nothing.
        Http.Answer token = developer(http, "POST", app, appSecret, "accounts/" + accountId + "/access-token", null);
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        assertThat(oauthA.accessTokenValid(token.json().path("accessToken").asText())).isTrue();
        Session stranger = session(http, app);
        RuntimeIT.assertProblem(user(http, stranger, "GET", "v1/accounts/" + accountId), 404, "not-found");
        RuntimeIT.assertProblem(user(http, stranger, "DELETE", "v1/accounts/" + accountId), 404, "not-found");
        RuntimeIT.assertProblem(developer(http, "GET", otherApp, appSecret, "accounts/" + accountId, null), 401, "unauthorized");
        assertThat(user(http, session(http, otherApp), "GET", "v1/accounts/" + accountId).status()).isEqualTo(404);

        // Unlink: revoked at the provider, gone here.
        int revokedBefore = oauthA.revokedTokens().size();
        assertThat(user(http, s, "DELETE", "v1/accounts/" + accountId).status()).isEqualTo(204);
        assertThat(oauthA.revokedTokens()).hasSize(revokedBefore + 1);
        assertThat(oauthA.revokedTokens().get(revokedBefore)).startsWith("rt_");
        assertThat(user(http, s, "GET", "v1/accounts/" + accountId).status()).isEqualTo(404);
        assertThat(user(http, s, "GET", "v1/accounts").json().path("items")).isEmpty();
    }

    @Test
    public void chromeFlowEndsAtTheAllowListedReturnUrlWithAStatusOnly() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        Pending p = startOAuth(http, s, "oauth-a", oauthA, RETURN_URL);
        Http.Answer done = get(http, p.callbackUrl(), p.cookie());
        assertThat(done.status()).isEqualTo(302);
        String location = done.header("Location");
        assertThat(location).startsWith(RETURN_URL + "?status=ok&accountId=");
        for (String token : oauthA.issuedTokens()) {
            assertThat(location).doesNotContain(token);
        }
        // The user declines at the provider: the error comes back the same way.
        Pending declined = startOAuth(http, s, "oauth-a", oauthA, RETURN_URL);
        String denied = declined.callbackUrl().replaceAll("code=[^&]+", "error=access_denied");
        Http.Answer refused = get(http, denied, declined.cookie());
        assertThat(refused.header("Location")).isEqualTo(RETURN_URL + "?status=error&error=access_denied");
    }

    @Test
    public void callbackAttacksNeverReachATokenEndpoint() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        Session other = session(http, app);
        Session otherAppUser = session(http, otherApp);

        // A completed flow, then its callback replayed.
        Pending done = startOAuth(http, s, "oauth-a", oauthA, null);
        assertThat(get(http, done.callbackUrl(), done.cookie()).status()).isEqualTo(200);
        int tokenCallsA = tokenRequests(oauthA);
        int tokenCallsB = tokenRequests(oauthB);

        assertError(get(http, done.callbackUrl(), done.cookie()), 400, "invalid_state");
        // A state nobody issued; no state at all.
        assertError(get(http, "v1/connect/callback?code=x&state=" + UUID.randomUUID(), done.cookie()), 400, "invalid_state");
        assertError(get(http, "v1/connect/callback?code=x", done.cookie()), 400, "missing_state");
        // The state of another user's flow, completed in this browser; the same for another app's user.
        Pending victim = startOAuth(http, other, "oauth-a", oauthA, null);
        Pending mine = startOAuth(http, s, "oauth-a", oauthA, null);
        assertError(get(http, victim.callbackUrl(), mine.cookie()), 400, "browser_mismatch");
        assertError(get(http, victim.callbackUrl(), null), 400, "browser_mismatch");
        Pending foreignApp = startOAuth(http, otherAppUser, "oauth-a", oauthA, null);
        assertError(get(http, foreignApp.callbackUrl(), mine.cookie()), 400, "browser_mismatch");
        // Open redirect: a return URL the app did not allow is refused before any flow exists.
        Http.Answer open = get(http, "v1/connect/oauth-a/start?ticket=" + ticket(http, s, "oauth-a")
                + "&returnUrl=" + URLEncoder.encode("https://evil.example/steal", StandardCharsets.UTF_8), null);
        assertError(open, 400, "invalid_return_url");
        assertThat(open.header("Location")).isNull();
        // Tickets: reused, expired, for another connector.
        String t = ticket(http, s, "oauth-a");
        assertThat(get(http, "v1/connect/oauth-a/start?ticket=" + t, null).status()).isEqualTo(302);
        assertError(get(http, "v1/connect/oauth-a/start?ticket=" + t, null), 400, "invalid_ticket");
        assertError(get(http, "v1/connect/oauth-b/start?ticket=" + ticket(http, s, "oauth-a"), null), 400, "invalid_ticket");
        String expiring = ticket(http, s, "oauth-a");
        try (TestClock clock = TestClock.register(context, Duration.ofSeconds(61))) {
            assertError(get(http, "v1/connect/oauth-a/start?ticket=" + expiring, null), 400, "invalid_ticket");
        }
        // An expired flow.
        Pending late = startOAuth(http, s, "oauth-a", oauthA, null);
        try (TestClock clock = TestClock.register(context, Duration.ofMinutes(11))) {
            assertError(get(http, late.callbackUrl(), late.cookie()), 400, "expired_state");
        }
        assertThat(tokenRequests(oauthA)).as("token requests at A after the attacks").isEqualTo(tokenCallsA);

        // Mix-up: a code from server B presented with the state of a flow for A is redeemed only at A.
        Pending flowForA = startOAuth(http, s, "oauth-a", oauthA, null);
        Pending flowForB = startOAuth(http, s, "oauth-b", oauthB, null);
        String codeFromB = flowForB.callbackUrl().replaceAll(".*code=([^&]+).*", "$1");
        String mixed = flowForA.callbackUrl().replaceAll("code=[^&]+", "code=" + codeFromB);
        assertError(get(http, mixed, flowForA.cookie()), 502, "token_request_failed");
        assertThat(tokenRequests(oauthB)).as("token requests at B").isEqualTo(tokenCallsB);
        assertThat(tokenRequests(oauthA)).isEqualTo(tokenCallsA + 1);
    }

    private static void assertError(Http.Answer page, int status, String error) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.body()).contains("\"status\":\"error\"").contains("\"error\":\"" + error + "\"");
    }

    @Test
    public void passwordGrantLinkingThroughTheFormNeverKeepsThePassword() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        try (LogCapture logs = LogCapture.start()) {
            Http.Answer form = get(http, "v1/connect/pw/start?ticket=" + ticket(http, s, "pw") + "&_host_info=x", null);
            assertThat(form.status()).isEqualTo(200);
            assertThat(form.contentType()).startsWith("text/html");
            assertThat(form.body()).contains("name=\"password\"").contains("name=\"instance\"");
            // Whose account is linked, and for which app (issue 18 item 12: a user handed someone else's link sees it).
            assertThat(form.body()).contains("For <strong>Test User</strong> in <strong>linking app</strong>");
            assertThat(form.header("Content-Security-Policy")).contains("form-action 'self'");
            String cookie = form.header("Set-Cookie").split(";")[0];
            Matcher m = STATE_FIELD.matcher(form.body());
            assertThat(m.find()).isTrue();
            String state = m.group(1);
            String instance = sugar.baseUri().toString();
            int before = tokenRequests(sugar);

            // No browser binding, or a cross-site post: refused before any token request.
            assertError(post(http, "v1/connect/pw/password", state, instance, "alice", password, null, null), 400, "browser_mismatch");
            assertError(post(http, "v1/connect/pw/password", state, instance, "alice", password, cookie, "https://evil.example"),
                    403, "cross_site_request");
            assertThat(tokenRequests(sugar)).isEqualTo(before);

            // A wrong password shows the form again (the flow stays open), then the right one links.
            Http.Answer wrong = post(http, "v1/connect/pw/password", state, instance, "alice", "wrong-" + password, cookie, null);
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.body()).contains("refused these credentials").contains("name=\"password\"")
                    .doesNotContain("wrong-" + password);
            Http.Answer done = post(http, "v1/connect/pw/password", state, instance, "alice", password, cookie, http.base().toString()
                    .replaceAll("/$", ""));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            String accountId = accountIdOf(done);
            FakeRequest request = sugar.requests().stream().filter(r -> r.path().equals("/token")).reduce((x, y) -> y).orElseThrow();
            assertThat(request.header("Content-Type")).startsWith("application/json");
            assertThat(request.bodyText()).contains("\"grant_type\":\"password\"").contains("\"platform\":\"switchboard\"")
                    .contains("\"client_id\":\"sugar\"");
            JsonNode account = user(http, s, "GET", "v1/accounts/" + accountId).json();
            assertThat(account.path("displayName").asText()).isEqualTo("alice@provider.example");
            assertThat(account.path("baseUrl").asText()).isEqualTo(instance + "/rest/v11_x");
            // The same state cannot be used again.
            assertError(post(http, "v1/connect/pw/password", state, instance, "alice", password, cookie, null), 400, "invalid_state");

            TokenVault vault = service(TokenVault.class, null);
            assertThat(vault.accessToken(app, accountId).headers()).containsKey("Authorization");
            assertThat(user(http, s, "DELETE", "v1/accounts/" + accountId).status()).isEqualTo(204);

            for (LogCapture.Line line : logs.lines()) {
                for (String secret : List.of(password, "wrong-" + password, clientSecretA)) {
                    assertThat(line.message() + " " + line.thrown()).doesNotContain(secret);
                }
            }
        }
        assertThat(databaseText()).doesNotContain(password);
    }

    /** Issue 18 item 13: 30 wrong passwords in one flow were each sent on to the instance. */
    @Test
    public void passwordTriesAreLimitedPerFlowAndPerUser() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        String instance = sugar.baseUri().toString();
        int before = tokenRequests(sugar);
        // Per flow: four wrong passwords show the form again; the fifth ends the flow, and nothing more reaches the instance.
        for (int flow = 0; flow < 4; flow++) {
            String[] started = startPasswordFlow(http, s);
            for (int i = 1; i <= 5; i++) {
                Http.Answer wrong = post(http, "v1/connect/pw/password", started[0], instance, "alice", "wrong-" + i, started[1], null);
                if (i < 5) {
                    assertThat(wrong.status()).as("try " + i).isEqualTo(400);
                    assertThat(wrong.body()).contains("name=\"password\"");
                } else {
                    assertError(wrong, 429, "too_many_attempts");
                }
            }
            assertError(post(http, "v1/connect/pw/password", started[0], instance, "alice", password, started[1], null), 400,
                    "invalid_state");
        }
        assertThat(tokenRequests(sugar) - before).isEqualTo(20);
        // Per user: 20 tries within the hour; a new flow's first try, even with the right password, is refused unasked.
        String[] fresh = startPasswordFlow(http, s);
        assertError(post(http, "v1/connect/pw/password", fresh[0], instance, "alice", password, fresh[1], null), 429,
                "too_many_attempts");
        assertThat(tokenRequests(sugar) - before).isEqualTo(20);
        // Another user of the app is not held back.
        Session other = session(http, app);
        String[] theirs = startPasswordFlow(http, other);
        Http.Answer linked = post(http, "v1/connect/pw/password", theirs[0], instance, "alice", password, theirs[1], null);
        assertThat(linked.status()).as(linked.body()).isEqualTo(200);
        assertThat(user(http, other, "DELETE", "v1/accounts/" + accountIdOf(linked)).status()).isEqualTo(204);
    }

    /** The state and the browser-binding cookie of a new password-form flow. */
    private String[] startPasswordFlow(Http http, Session s) {
        Http.Answer form = get(http, "v1/connect/pw/start?ticket=" + ticket(http, s, "pw") + "&_host_info=x", null);
        assertThat(form.status()).isEqualTo(200);
        Matcher m = STATE_FIELD.matcher(form.body());
        assertThat(m.find()).isTrue();
        return new String[] {m.group(1), form.header("Set-Cookie").split(";")[0]};
    }

    private static Http.Answer post(Http http, String path, String state, String instance, String username, String pw, String cookie,
                                    String origin) {
        String body = "state=" + enc(state) + "&instance=" + enc(instance) + "&username=" + enc(username) + "&password=" + enc(pw);
        HttpRequest.Builder b = http.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- the vault

    private String freshAccount(Http http) {
        oauthA.signedInUser("vault-user-" + UUID.randomUUID());
        return linkOAuth(http, session(http, app));
    }

    @Test
    public void twoHundredConcurrentCallersOnAnExpiredAccountCauseOneRefresh() throws Exception {
        Http http = setUp();
        String accountId = freshAccount(http);
        TokenVault vault = service(TokenVault.class, null);
        AccessToken first = vault.accessToken(app, accountId);
        int refreshes = oauthA.refreshCalls();
        double refreshedBefore = refreshMeter(http, "ok");
        oauthA.latency(Duration.ofMillis(500));
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try (TestClock clock = TestClock.register(context, Duration.ofHours(2))) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AccessToken>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return vault.accessToken(app, accountId);
                }));
            }
            go.countDown();
            Set<Long> versions = new java.util.HashSet<>();
            for (Future<AccessToken> call : calls) {
                versions.add(call.get().version());
            }
            assertThat(oauthA.refreshCalls()).isEqualTo(refreshes + 1);
            assertThat(versions).containsExactly(first.version() + 1);
            // A 401 from the provider with the new token: one more refresh, and only one for all callers.
            AccessToken current = vault.accessToken(app, accountId);
            List<Future<AccessToken>> retries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                retries.add(pool.submit(() -> vault.afterRejection(app, accountId, current)));
            }
            for (Future<AccessToken> r : retries) {
                assertThat(r.get().version()).isEqualTo(current.version() + 1);
            }
            assertThat(oauthA.refreshCalls()).isEqualTo(refreshes + 2);
            assertThat(refreshMeter(http, "ok") - refreshedBefore).as("switchboard_vault_refreshes_total in /metrics").isEqualTo(2);
        } finally {
            oauthA.latency(Duration.ZERO);
            pool.shutdownNow();
        }
    }

    @Test
    public void invalidGrantMarksTheAccountForReauthorizationAfterOneAttempt() throws Exception {
        Http http = setUp();
        // The developer's server hears of it (issue 15): a webhook endpoint for the account events.
        FakeWebhookReceiver receiver = new FakeWebhookReceiver();
        Http.Answer hook = developer(http, "POST", app, appSecret, "webhooks", "{\"url\":\"" + receiver.url()
                + "\",\"events\":[\"account.linked\",\"account.reauth_required\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        Session s = session(http, app);
        oauthA.signedInUser("reauth-user-" + UUID.randomUUID());
        String accountId = linkOAuth(http, s);
        TokenVault vault = service(TokenVault.class, null);
        AuditLog audit = service(AuditLog.class, null);
        int before = tokenRequests(oauthA);
        double reauthBefore = refreshMeter(http, "reauth");
        oauthA.failNextToken("invalid_grant");
        try (TestClock clock = TestClock.register(context, Duration.ofHours(2))) {
            for (int i = 0; i < 5; i++) {
                Throwable t = catchThrowable(() -> vault.accessToken(app, accountId));
                assertThat(t).isInstanceOf(ProblemException.class);
                assertThat(((ProblemException) t).status()).isEqualTo(409);
                assertThat(((ProblemException) t).slug()).isEqualTo("reauth-required");
            }
        }
        // Issue 17: the README says at once: one token request, however many callers follow.
        assertThat(tokenRequests(oauthA) - before).as("token requests for the failing account").isEqualTo(1);
        assertThat(refreshMeter(http, "reauth") - reauthBefore).isEqualTo(1);
        assertThat(user(http, s, "GET", "v1/accounts/" + accountId).json().path("status").asText()).isEqualTo("REAUTH_REQUIRED");
        assertThat(audit.recent(app, 50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("account.reauth_required");
            assertThat(e.subject()).isEqualTo(accountId);
        });
        // Linking again revives the same account.
        assertThat(linkOAuth(http, s)).isEqualTo(accountId);
        assertThat(user(http, s, "GET", "v1/accounts/" + accountId).json().path("status").asText()).isEqualTo("ACTIVE");
        // linked, re-consent needed (once, however many callers met it), linked again: each signed
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (receiver.deliveries().size() < 3) {
            assertThat(System.nanoTime()).as("three account events").isLessThan(deadline);
            sleep(50);
        }
        sleep(500);
        List<String> types = new ArrayList<>();
        for (io.switchboard.testkit.http.FakeRequest delivery : receiver.deliveries()) {
            assertThat(FakeWebhookReceiver.verifies(delivery, hook.json().path("secret").asText())).isTrue();
            JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(delivery.bodyText());
            assertThat(event.path("data").path("account").asText()).isEqualTo(accountId);
            types.add(event.path("type").asText());
        }
        assertThat(types).as("order is not guaranteed").containsExactlyInAnyOrder("account.linked", "account.reauth_required",
                "account.linked");
        receiver.close();
        developer(http, "DELETE", app, appSecret, "webhooks/" + hook.json().path("id").asText(), null);
    }

    @Test
    public void tenMinutesOfProviderFailuresMarkNothingBrokenAndRespectTheCooldown() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        oauthA.signedInUser("storm-user-" + UUID.randomUUID());
        String accountId = linkOAuth(http, s);
        TokenVault vault = service(TokenVault.class, null);
        LogCapture logs = LogCapture.start();
        oauthA.reset();
        oauthA.failNext(100_000, FakeResponse.json(503, "{\"error\":\"temporarily_unavailable\"}").withHeader("Retry-After", "5"));
        List<Long> attemptsAt = new ArrayList<>();
        try (TestClock clock = TestClock.register(context, Duration.ofHours(2))) {
            for (long second = 0; second <= 3000; second += 5) {
                clock.set(Duration.ofHours(2).plusSeconds(second));
                int seen = tokenRequests(oauthA);
                Throwable t = catchThrowable(() -> vault.accessToken(app, accountId));
                assertThat(t).isInstanceOf(ProblemException.class);
                ProblemException p = (ProblemException) t;
                assertThat(p.status()).isEqualTo(503);
                assertThat(p.slug()).isEqualTo("upstream-unavailable");
                assertThat(Long.parseLong(p.headers().get("Retry-After"))).isPositive();
                if (tokenRequests(oauthA) > seen) {
                    attemptsAt.add(second);
                }
            }
            // Issue 17: the cool-down starts at 30 s, doubles with each failure, and stops growing at 10 minutes.
            assertThat(attemptsAt).as("refresh attempts over 50 minutes of failures")
                    .containsExactly(0L, 30L, 90L, 210L, 450L, 930L, 1530L, 2130L, 2730L);
            assertThat(user(http, s, "GET", "v1/accounts/" + accountId).json().path("status").asText()).isEqualTo("ACTIVE");
            // The storm ends: after the cool-down the next call refreshes.
            oauthA.reset();
            clock.set(Duration.ofHours(3));
            assertThat(vault.accessToken(app, accountId).value()).startsWith("at_");
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l.message()).contains("cooling down"));
            assertNoSecretIn(logs);
        } finally {
            logs.close();
            oauthA.reset();
        }
    }

    // ---- secrets at rest

    @Test
    public void aDatabaseDumpHoldsNoTokenOrClientSecretAndCiphertextsDoNotMove() throws Exception {
        Http http = setUp();
        String x = freshAccount(http);
        String y = freshAccount(http);
        String text = databaseText();
        assertThat(oauthA.issuedTokens()).isNotEmpty();
        for (String token : oauthA.issuedTokens()) {
            assertThat(text).doesNotContain(token);
        }
        for (String token : sugar.issuedTokens()) {
            assertThat(text).doesNotContain(token);
        }
        assertThat(text).doesNotContain(clientSecretA);

        // X's sealed access token copied into Y's row does not open there.
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
        String original;
        try (Connection c = ds.getConnection()) {
            original = single(c, "SELECT access_token FROM account WHERE id = ?", y);
            update(c, "UPDATE account SET access_token = (SELECT a.access_token FROM account a WHERE a.id = ?) WHERE id = ?", x, y);
        }
        TokenVault vault = service(TokenVault.class, null);
        try (TestClock clock = TestClock.register(context, Duration.ofMinutes(5))) { // past the cache's recheck bound
            Throwable moved = catchThrowable(() -> vault.accessToken(app, y));
            assertThat(moved).isNotNull();
            assertThat(moved.getMessage()).contains("cannot be opened");
        } finally {
            try (Connection c = ds.getConnection()) {
                update(c, "UPDATE account SET access_token = ? WHERE id = ?", original, y);
            }
        }
        assertThat(vault.accessToken(app, y).value()).startsWith("at_");
    }

    @Test
    public void keyRotationRewrapsEveryRowWhileRequestsKeepSucceeding() throws Exception {
        Http http = setUp();
        String accountId = freshAccount(http);
        String newId = "r" + Integer.toHexString(ThreadLocalHolder.next());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                Http.Answer a = developer(http, "POST", app, appSecret, "accounts/" + accountId + "/access-token", null);
                if (a.status() == 200) {
                    ok.incrementAndGet();
                } else {
                    failure.compareAndSet(null, a.toString());
                }
            }
        });
        load.start();
        try {
            sleep(300);
            putNewMasterKeyFirst(http, newId);
            Http.Answer rewrap = http.send(http.request("admin/v1/vault/rewrap").header("Authorization", "Bearer " + ADMIN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(rewrap.status()).as(rewrap.toString()).isEqualTo(200);
            assertThat(rewrap.json().path("accounts").asInt()).isPositive();
            assertThat(rewrap.json().path("clientSecrets").asInt()).isPositive();
            sleep(300);
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(failure.get()).as("a request failed during the rotation").isNull();
        assertThat(ok.get()).isPositive();
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String sql : List.of("SELECT access_token FROM account", "SELECT refresh_token FROM account WHERE refresh_token IS NOT NULL",
                    "SELECT client_secret FROM app_connector")) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        assertThat(rs.getString(1)).startsWith("v1." + newId + ".");
                    }
                }
            }
        }
        assertThat(service(TokenVault.class, null).accessToken(app, accountId).value()).startsWith("at_");
    }

    /** Unique key ids across the rotations of one JVM. */
    static final class ThreadLocalHolder {
        private static final AtomicInteger COUNTER = new AtomicInteger((int) (System.nanoTime() & 0xffff));

        static int next() {
            return COUNTER.incrementAndGet();
        }
    }

    @Test
    public void accountsOfAGoneConnectorAnswerConnectorUnavailableAndKeepTheirTokens() throws Exception {
        Http http = setUp();
        Session s = session(http, app);
        oauthB.signedInUser("b-user-" + UUID.randomUUID());
        Pending p = startOAuth(http, s, "oauth-b", oauthB, null);
        String accountId = accountIdOf(get(http, p.callbackUrl(), p.cookie()));
        FakeRequest redeem = oauthB.requests().stream().filter(r -> r.path().equals("/token")).reduce((a, b) -> b).orElseThrow();
        assertThat(redeem.header("Authorization")).startsWith("Basic ");
        assertThat(redeem.bodyText()).doesNotContain("code_verifier");
        ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
        Configuration c = ca.getFactoryConfiguration("switchboard.connector.generic", "oauth-b", "?");
        Dictionary<String, Object> saved = c.getProperties();
        c.delete();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!user(http, s, "GET", "v1/accounts/" + accountId).json().path("status").asText().equals("CONNECTOR_MISSING")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                sleep(100);
            }
            Throwable t = catchThrowable(() -> service(TokenVault.class, null).accessToken(app, accountId));
            assertThat(((ProblemException) t).status()).isEqualTo(503);
            assertThat(((ProblemException) t).slug()).isEqualTo("connector-unavailable");
            RuntimeIT.assertProblem(developer(http, "POST", app, appSecret, "accounts/" + accountId + "/access-token", null), 503,
                    "connector-unavailable");
        } finally {
            Configuration back = ca.getFactoryConfiguration("switchboard.connector.generic", "oauth-b", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            for (java.util.Enumeration<String> k = saved.keys(); k.hasMoreElements(); ) {
                String key = k.nextElement();
                if (!key.startsWith("service.") && !key.equals("felix.fileinstall.filename")) {
                    props.put(key, saved.get(key));
                }
            }
            back.update(props);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!user(http, s, "GET", "v1/accounts/" + accountId).json().path("status").asText().equals("ACTIVE")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            sleep(100);
        }
        assertThat(service(TokenVault.class, null).accessToken(app, accountId).value()).startsWith("at_");
    }

    @Test
    public void adminApiShowsConnectorsWithoutSecretsAndPagesAccounts() throws Exception {
        Http http = setUp();
        freshAccount(http);
        freshAccount(http);
        Http.Answer list = developer(http, "GET", app, appSecret, "connectors", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(clientSecretA).contains("\"clientSecretSet\":true");
        assertThat(list.json().path("items")).as(list.body()).hasSize(3);
        assertThat(list.json().path("installed").toString()).contains("oauth-a", "oauth-b", "pw");
        Http.Answer bad = developer(http, "PUT", app, appSecret, "connectors/oauth-a", "{\"clientId\":\"x\",\"options\":{\"a b\":\"c\"}}");
        RuntimeIT.assertProblem(bad, 400, "bad-request");
        RuntimeIT.assertProblem(developer(http, "GET", app, "wrong", "connectors", null), 401, "unauthorized");
        Http.Answer page1 = developer(http, "GET", app, appSecret, "accounts?limit=1", null);
        assertThat(page1.json().path("items")).hasSize(1);
        String next = page1.json().path("next").asText();
        Http.Answer page2 = developer(http, "GET", app, appSecret, "accounts?limit=1&after=" + next, null);
        assertThat(page2.json().path("items").get(0).path("id").asText()).isGreaterThan(next);
        assertThat(page1.body() + page2.body()).doesNotContain("at_").doesNotContain("rt_");
    }

    // ---- helpers

    /** Every value in every table, as one text: what a database dump would show. */
    private String databaseText() throws Exception {
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
        StringBuilder all = new StringBuilder();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equalsIgnoreCase("public")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            assertThat(tables.stream().map(String::toLowerCase)).contains("account", "app_connector", "connect_flow");
            try (Statement st = c.createStatement()) {
                for (String table : tables) {
                    try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= n; i++) {
                                all.append(rs.getString(i)).append('\n');
                            }
                        }
                    }
                }
            }
        }
        return all.toString();
    }

    private static String single(Connection c, String sql, String arg) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static void update(Connection c, String sql, String... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** A clock ahead of real time by an adjustable offset, registered for the vault while the test needs it. */
    static final class TestClock extends Clock implements AutoCloseable {
        private final AtomicReference<Duration> offset;
        private ServiceRegistration<Clock> registration;

        private TestClock(Duration offset) {
            this.offset = new AtomicReference<>(offset);
        }

        static TestClock register(org.osgi.framework.BundleContext context, Duration offset) {
            TestClock clock = new TestClock(offset);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("switchboard.clock", "test");
            clock.registration = context.registerService(Clock.class, clock, props);
            return clock;
        }

        void set(Duration ahead) {
            offset.set(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public void close() {
            registration.unregister();
        }
    }
}
