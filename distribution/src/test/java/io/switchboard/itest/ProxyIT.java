package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.ADMIN;
import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.IdentityIT.signIn;
import static io.switchboard.itest.RuntimeIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.api.Switchboard;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.LargeBodies;
import io.switchboard.itest.support.LogCapture;
import io.switchboard.itest.support.PrometheusText;
import io.switchboard.itest.support.RawHttp;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import io.switchboard.testkit.tls.FakeHttp2Api;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The proxy over HTTP against a provider fake: transparency (methods, bodies, encoded paths and
 * queries, provider errors and headers, a 100 MB response with flat memory), header hygiene and
 * host safety, 401 → refresh → retry, timeouts and unreachable upstreams, ownership, budgets,
 * re-authorization, CORS, metrics and the audit line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProxyIT extends SwitchboardTestSupport {
    static final String API = "api://proxy";
    static final String TENANT = "eeeeeeee-2222-3333-4444-555555555555";
    static final String ORIGIN = "https://addin.example";

    /**
     * How long a call may take while stalled clients hold their requests open. A server whose
     * threads those clients held would answer only once a 30 s time-out (the body's, the proxy's
     * client's) freed one, or never; half of that separates the two on a loaded 2-core machine.
     */
    static final Duration ANSWERS_WHILE_STALLED = Duration.ofSeconds(15);

    static Object setUpFor;
    static FakeEntraId entra;
    static FakeOAuthProvider crm;
    static FakeServer evil;
    static FakeHttp2Api h2;
    static String h2AccountId;
    static String app;
    static String otherApp;
    static String session;
    static String accountId;

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\nallow.insecure.issuers=true\n",
                "switchboard.proxy.cfg", "replay.body.bytes=1048576\nresponse.timeout.ms=1500\n",
                // the slow-sender test opens 70 read-ahead bodies from this one address, more than the default per client
                "switchboard.rest.cfg", "streaming.max.body.bytes=3145728\nmax.unfinished.bodies.per.client=1000\n",
                "switchboard.outbound.cfg", "allow.private.addresses=true\n");
    }

    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            for (AutoCloseable c : new AutoCloseable[] {entra, crm, evil, h2}) {
                if (c != null) {
                    c.close();
                }
            }
            entra = new FakeEntraId();
            evil = new FakeServer();
            evil.route("*", "/", r -> FakeResponse.json(200, "{\"evil\":true}"));
            crm = new FakeOAuthProvider("proxy-client", "proxy-secret");
            crm.registerRedirectUri(http.base() + "v1/connect/callback");
            crm.route("*", "/api/", this::api);
            crm.largeBody("/api/large", 100L * 1024 * 1024);
            connector("crm", crm.baseUri() + "/api", 0);
            connector("dead", "http://127.0.0.1:1/api", 0);
            connector("budgeted", crm.baseUri() + "/api", 3);
            h2 = new FakeHttp2Api(testCertificates(), this::api);
            connector("h2", h2.baseUri() + "/api", 0);
            JsonNode a = createApp(http);
            app = a.path("id").asText();
            JsonNode b = createApp(http);
            otherApp = b.path("id").asText();
            for (String c : List.of("crm", "dead", "budgeted", "h2")) {
                Http.Answer put = LinkingIT.developer(http, "PUT", app, a.path("secret").asText(), "connectors/" + c,
                        "{\"clientId\":\"proxy-client\",\"clientSecret\":\"proxy-secret\"}");
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
            }
            session = newSession(http, app);
            awaitConnectors(http, a.path("secret").asText());
            accountId = link(http, session, "crm");
            h2AccountId = link(http, session, "h2");
            setUpFor = context;
        }
        return http;
    }

    private void connector(String id, String apiBase, int budget) throws Exception {
        ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
        Configuration c = ca.getFactoryConfiguration("switchboard.connector.generic", id, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("connector.id", id);
        p.put("authorization.url", crm.authorizeUrl());
        p.put("token.url", crm.tokenUrl());
        p.put("userinfo.url", crm.baseUri() + "/userinfo");
        p.put("api.base.url", apiBase);
        p.put("budget.requests", budget);
        p.put("budget.window.seconds", 60);
        c.update(p);
    }

    private static void awaitConnectors(Http http, String secret) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!LinkingIT.developer(http, "GET", app, secret, "connectors", null).body().contains("\"budgeted\"") || !LinkingIT.developer(http, "GET", app, secret, "connectors", null).body().contains("\"h2\"")) {
            assertThat(System.nanoTime()).as("connectors registered").isLessThan(deadline);
            sleep(100);
        }
    }

    private static JsonNode createApp(Http http) {
        Map<String, Object> settings = Map.of("allowedOrigins", List.of(ORIGIN),
                "identity", Map.of("entra", Map.of("audiences", List.of(API), "tenants", List.of("organizations"),
                        "authority", entra.authority())));
        Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "proxy app", "settings", settings));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static String newSession(Http http, String appId) {
        return signIn(http, appId, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "x").build()))
                .path("accessToken").asText();
    }

    private static String link(Http http, String sessionToken, String connector) {
        crm.signedInUser("proxy-user-" + UUID.randomUUID());
        return new SwitchboardClient(http.base(), sessionToken).linkThroughDialog(connector, crm.authorizeUrl());
    }

    /** The provider's API: echoes what it received; a few paths misbehave. */
    private FakeResponse api(FakeRequest r) {
        String auth = r.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        if (r.path().startsWith("/api/bare401")) { // HubSpot-style: a 401 without WWW-Authenticate
            return FakeResponse.json(401, "{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\"}");
        }
        if (r.path().startsWith("/api/always401") || !crm.accessTokenValid(token)) {
            return FakeResponse.json(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]")
                    .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        switch (r.path()) {
            case "/api/limited":
                return FakeResponse.json(429, "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                        + "\"policyName\":\"TEN_SECONDLY_ROLLING\"}").withHeader("Retry-After", "7")
                        .withHeader("X-HubSpot-RateLimit-Remaining", "0").withHeader("X-HubSpot-RateLimit-Max", "100");
            case "/api/down":
                return FakeResponse.json(503, "{\"error\":\"service_unavailable\"}").withHeader("Retry-After", "30");
            case "/api/invalid":
                return FakeResponse.json(400, "[{\"message\":\"unexpected token\",\"errorCode\":\"MALFORMED_QUERY\"}]")
                        .withHeader("Sforce-Limit-Info", "api-usage=18/5000");
            case "/api/moved":
                return FakeResponse.empty(302).withHeader("Location", evil.baseUri() + "/stolen");
            case "/api/slow":
                sleep(3000);
                return FakeResponse.json(200, "{}");
            case "/api/gone":
                return FakeResponse.empty(204);
            default:
                break;
        }
        byte[] body = r.body();
        String sha = sha256(body);
        StringBuilder headers = new StringBuilder();
        r.headers().forEach((k, v) -> headers.append(k.toLowerCase()).append('=').append(String.join("|", v)).append('\n'));
        String json = "{\"method\":\"" + r.method() + "\",\"path\":\"" + r.path() + "\",\"query\":" + (r.query() == null ? "null"
                : "\"" + r.query().replace("\"", "\\\"") + "\"") + ",\"length\":" + body.length + ",\"sha256\":\"" + sha + "\"}";
        return FakeResponse.json(r.method().equals("POST") ? 201 : 200, json)
                .withHeader("Sforce-Limit-Info", "api-usage=19/5000")
                .withHeader("X-Echo-Headers", headers.toString().replace("\n", ";"))
                .withHeader("Set-Cookie", "provider-session=secret; Path=/")
                .withHeader("ETag", "\"v7\"");
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Http.Answer proxy(Http http, String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + "v1/proxy/" + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + session)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build());
    }

    /** A call while the servlet may be restarting: a reset connection counts as no answer yet. */
    private static Http.Answer tryProxy(Http http, String path) {
        try {
            return proxy(http, "GET", path, null);
        } catch (RuntimeException restarting) {
            return null;
        }
    }

    // ---- HTTP/2 upstream

    /**
     * A provider that offers HTTP/2 over TLS (ALPN) gets it: the call, its body and the stored
     * token go over h2, and the answer comes back to the add-in (over HTTP/1.1) unchanged.
     */
    @Test
    public void aProviderOfferingHttp2OverTlsIsCalledOverHttp2() throws Exception {
        Http http = setUp();
        int before = h2.received().size();
        Http.Answer get = proxy(http, "GET", h2AccountId + "/api/sobjects/Contact/003?fields=Id%2CName", null);
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.json().path("path").asText()).isEqualTo("/api/sobjects/Contact/003");
        assertThat(get.json().path("query").asText()).isEqualTo("fields=Id%2CName");
        assertThat(get.header("Sforce-Limit-Info")).isEqualTo("api-usage=19/5000");
        byte[] body = "{\"LastName\":\"Lovelace\"}".getBytes(StandardCharsets.UTF_8);
        Http.Answer post = proxy(http, "POST", h2AccountId + "/api/sobjects/Contact", body, "Content-Type", "application/json");
        assertThat(post.status()).as(post.toString()).isEqualTo(201);
        assertThat(post.json().path("sha256").asText()).isEqualTo(sha256(body));
        List<FakeHttp2Api.Received> calls = h2.received().subList(before, h2.received().size());
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.protocol()).isEqualTo("HTTP/2.0");
            assertThat(c.request().header("Authorization")).startsWith("Bearer ").doesNotContain(session);
        });
    }

    // ---- transparency

    @Test
    public void methodsBodiesEncodedPathsAndQueriesPassThroughUnchanged() throws Exception {
        Http http = setUp();
        crm.reset();
        String query = "q=SELECT+Id+FROM+Contact+WHERE+Email%3D%27a%2Bb%40x.example%27&limit=5&empty=&x=%E2%9C%93";
        Http.Answer get = proxy(http, "GET", accountId + "/api/records/caf%C3%A9%20au%20lait/items?" + query, null);
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.json().path("path").asText()).isEqualTo("/api/records/caf%C3%A9%20au%20lait/items");
        assertThat(get.json().path("query").asText()).isEqualTo(query);
        assertThat(get.header("Sforce-Limit-Info")).isEqualTo("api-usage=19/5000");
        assertThat(get.header("ETag")).isEqualTo("\"v7\"");
        assertThat(get.header("Set-Cookie")).as("provider cookies stay at the proxy").isNull();
        assertThat(get.header("X-Request-Id")).isNotBlank();

        byte[] json = "{\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\"}".getBytes();
        Http.Answer post = proxy(http, "POST", accountId + "/api/sobjects/Contact", json, "Content-Type", "application/json");
        assertThat(post.status()).isEqualTo(201);
        assertThat(post.json().path("sha256").asText()).isEqualTo(sha256(json));
        assertThat(post.json().path("method").asText()).isEqualTo("POST");

        byte[] binary = new byte[300_000];
        new Random(7).nextBytes(binary);
        Http.Answer patch = proxy(http, "PATCH", accountId + "/api/files/1", binary, "Content-Type", "application/octet-stream");
        assertThat(patch.json().path("length").asInt()).isEqualTo(binary.length);
        assertThat(patch.json().path("sha256").asText()).isEqualTo(sha256(binary));
        FakeRequest seen = crm.requests().stream().filter(r -> r.path().equals("/api/files/1")).findFirst().orElseThrow();
        assertThat(seen.header("Content-Type")).isEqualTo("application/octet-stream");

        // Larger than the replay buffer (1 MiB here): streamed through once, with and without a Content-Length.
        byte[] upload = new byte[2 * 1024 * 1024 + 17]; // under streaming.max.body.bytes (3 MiB here)
        new Random(11).nextBytes(upload);
        Http.Answer put = proxy(http, "PUT", accountId + "/api/files/2", upload, "Content-Type", "application/octet-stream");
        assertThat(put.json().path("length").asInt()).isEqualTo(upload.length);
        assertThat(put.json().path("sha256").asText()).isEqualTo(sha256(upload));
        Http.Answer chunked = http.send(http.request("v1/proxy/" + accountId + "/api/files/3").header("Authorization", "Bearer " + session)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(upload))).build());
        assertThat(chunked.json().path("length").asInt()).isEqualTo(upload.length);
        assertThat(chunked.json().path("sha256").asText()).isEqualTo(sha256(upload));

        assertThat(proxy(http, "DELETE", accountId + "/api/gone", null).status()).isEqualTo(204);

        Http.Answer error = proxy(http, "GET", accountId + "/api/invalid", null);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.body()).isEqualTo("[{\"message\":\"unexpected token\",\"errorCode\":\"MALFORMED_QUERY\"}]");
        assertThat(error.header("Sforce-Limit-Info")).isEqualTo("api-usage=18/5000");

        Http.Answer limited = proxy(http, "GET", accountId + "/api/limited", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("7");
        assertThat(limited.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.body()).contains("TEN_SECONDLY_ROLLING");
        Http.Answer down = proxy(http, "GET", accountId + "/api/down", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("30");
        assertThat(down.body()).isEqualTo("{\"error\":\"service_unavailable\"}");
    }

    /**
     * A response streams through with back-pressure: while the add-in does not read, the provider
     * can write no more than the buffers between them hold, so the proxy keeps no copy of the body.
     * (Measured at the provider rather than as heap growth, which other threads of the shared JVM
     * disturb: a buffering proxy would take all 100 MB here while the add-in reads nothing.)
     */
    @Test
    public void aHundredMegabyteResponseStreamsWithFlatMemory() throws Exception {
        Http http = setUp();
        long sentBefore = crm.largeBytesSent();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", http.base().getPort())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write(("GET /v1/proxy/" + accountId + "/api/large HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + session + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.setSoTimeout(30_000);
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            String head = RawHttp.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + 100L * 1024 * 1024);
            // The add-in reads 1 MiB, then pauses until the provider's writes stop moving.
            LargeBodies body = new LargeBodies();
            long total = body.readUpTo(in, 1024 * 1024);
            long ahead = awaitSteady(() -> crm.largeBytesSent() - sentBefore, Duration.ofMillis(1500), Duration.ofSeconds(30));
            assertThat(ahead - total).as("bytes the provider got rid of beyond what the add-in read").isLessThan(32L * 1024 * 1024);
            assertThat(body.readUpTo(in, 100L * 1024 * 1024)).isEqualTo(100L * 1024 * 1024);
            assertThat(body.intact()).isTrue();
        }
    }

    // ---- hygiene and safety

    @Test
    public void theAddInsCredentialsNeverReachTheProviderAndTheProvidersTokenDoes() throws Exception {
        Http http = setUp();
        Http.Answer echo = proxy(http, "GET", accountId + "/api/whoami", null, "Cookie", "switchboard=1; other=2",
                "X-Switchboard-App", app, "X-Custom", "kept", "Accept", "application/json", "X-Forwarded-For", "10.0.0.1",
                "X-Forwarded-Prefix", "/admin", "X-Forwarded-Server", "internal", "X-Forwarded-Ssl", "on", "X-Forwarded-Scheme", "https",
                "X-Original-URL", "/admin", "X-Rewrite-URL", "/admin", "True-Client-IP", "10.0.0.2", "X-Client-IP", "10.0.0.3",
                "X-HTTP-Method-Override", "DELETE", "Origin", ORIGIN, "Referer", ORIGIN + "/taskpane.html");
        assertThat(echo.status()).isEqualTo(200);
        String headers = echo.header("X-Echo-Headers");
        assertThat(headers).contains("x-custom=kept").contains("accept=application/json").contains("authorization=Bearer at_");
        assertThat(headers).doesNotContain(session).doesNotContain("cookie=").doesNotContain("x-switchboard")
                .doesNotContain("x-forwarded").doesNotContain("x-original-url").doesNotContain("x-rewrite-url")
                .doesNotContain("client-ip").doesNotContain("method-override").doesNotContain("10.0.0")
                .doesNotContain("accept-encoding").doesNotContain("origin=").doesNotContain("referer=");
        // TRACE would echo the provider's token back; neither it nor CONNECT goes upstream
        int before = crm.requests().size();
        for (String method : new String[] {"TRACE", "CONNECT"}) {
            String refused = RawHttp.exchange(http, method + " /v1/proxy/" + accountId + "/api/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + session + "\r\nConnection: close\r\n\r\n");
            assertThat(refused).as(method).matches("(?s)HTTP/1\\.1 (405|400) .*").doesNotContain("at_");
        }
        assertThat(crm.requests()).as("nothing reached the provider").hasSize(before);
        // The provider's Set-Cookie of earlier calls is not kept and replayed either.
        Http.Answer second = proxy(http, "GET", accountId + "/api/whoami", null);
        assertThat(second.header("X-Echo-Headers")).doesNotContain("cookie=");
        Http.Answer gzip = proxy(http, "GET", accountId + "/api/whoami", null, "Accept-Encoding", "gzip");
        assertThat(gzip.header("X-Echo-Headers")).contains("accept-encoding=gzip");
    }

    @Test
    public void pathTricksNeverChangeTheHostAndRedirectsAreNotFollowed() throws Exception {
        Http http = setUp();
        int evilPort = evil.port();
        List<String> tricks = List.of("../../evil", "%2e%2e/%2e%2e/evil", "%2E%2E%2F%2E%2E%2Fevil", "x/..%2f..%2fevil",
                "/evil.example/x", "//127.0.0.1:" + evilPort + "/x", "@127.0.0.1:" + evilPort + "/x",
                "http://127.0.0.1:" + evilPort + "/x", "http:%2F%2F127.0.0.1:" + evilPort + "/x", "%5C%5C127.0.0.1:" + evilPort + "/x",
                "..%5C..%5Cevil", "%00/x");
        for (String trick : tricks.stream().flatMap(t -> java.util.stream.Stream.of("/api/" + t, "/" + t)).toList()) {
            int before = crm.requests().size();
            // Sent as written (a raw request line), so that nothing on the client's side tidies it first.
            String answer = RawHttp.exchange(http, "GET /v1/proxy/" + accountId + trick + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + session + "\r\nConnection: close\r\n\r\n");
            assertThat(evil.requests()).as(trick).isEmpty();
            // Whatever reached the provider stayed under the account's API path, however the provider reads it
            // ('/api/../../evil' forwarded as '/evil', or as '/api/%2e%2e/%2e%2e/evil', fails here) ...
            List<FakeRequest> seen = crm.requests().subList(before, crm.requests().size());
            assertThat(seen).as(trick).allSatisfy(r -> assertThat(resolvedPath(r.path())).as(r.path()).startsWith("/api/"));
            // ... and what did not reach it was refused by the server, never answered as a success.
            if (seen.isEmpty()) {
                assertThat(answer).as(trick).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            }
        }
        // the provider's own paths, root-relative, and only under those the connector declares (/api/ here)
        int before = crm.requests().size();
        Http.Answer outside = proxy(http, "GET", accountId + "/userinfo", null);
        assertProblem(outside, 403, "path-not-allowed");
        assertThat(outside.json().path("allowedPaths").get(0).asText()).isEqualTo("/api/");
        assertProblem(proxy(http, "GET", accountId, null), 400, "invalid-proxy-path");
        assertThat(crm.requests()).as("refused before any call").hasSize(before);
        Http.Answer moved = proxy(http, "GET", accountId + "/api/moved", null);
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.header("Location")).isEqualTo(evil.baseUri() + "/stolen");
        assertThat(evil.requests()).isEmpty();
    }

    /** A path as a lenient server would finally read it: percent-decoded (twice), backslashes as slashes, dot segments resolved. */
    static String resolvedPath(String raw) {
        String path = raw;
        for (int i = 0; i < 2; i++) {
            path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        path = path.replace('\\', '/').replace("\u0000", "");
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments) + (path.endsWith("/") ? "/" : "");
    }

    @Test
    public void anotherUsersOrAppsAccountIsNotFoundAndTheProviderSeesNothing() throws Exception {
        Http http = setUp();
        int before = crm.requests().size();
        String stranger = newSession(http, app);
        String foreign = newSession(http, otherApp);
        for (String token : List.of(stranger, foreign)) {
            Http.Answer answer = http.send(http.request("v1/proxy/" + accountId + "/api/whoami").header("Authorization", "Bearer " + token)
                    .GET().build());
            assertProblem(answer, 404, "not-found");
        }
        assertProblem(http.send(http.request("v1/proxy/" + UUID.randomUUID() + "/x").header("Authorization", "Bearer " + session)
                .GET().build()), 404, "not-found");
        assertProblem(http.get("v1/proxy/" + accountId + "/api/whoami"), 401, "unauthorized");
        assertThat(crm.requests()).hasSize(before);
    }

    @Test
    public void withoutTheTestSettingAPrivateUpstreamAddressIsRefusedBeforeAnyConnection() throws Exception {
        Http http = setUp();
        ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
        Configuration proxyConfig = ca.getConfiguration("switchboard.outbound", "?");
        java.util.Dictionary<String, Object> saved = proxyConfig.getProperties();
        Hashtable<String, Object> strict = copyOf(saved);
        strict.put("allow.private.addresses", "false");
        proxyConfig.update(strict);
        try {
            int before = crm.requests().size();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Http.Answer answer = tryProxy(http, accountId + "/api/whoami");
            while ((answer == null || answer.status() != 403) && System.nanoTime() < deadline) { // the servlet restarts
                sleep(100);
                before = crm.requests().size();
                answer = tryProxy(http, accountId + "/api/whoami");
            }
            assertProblem(answer, 403, "host-not-allowed");
            assertThat(crm.requests()).as("no connection to the loopback provider").hasSize(before);
        } finally {
            Hashtable<String, Object> back = copyOf(saved);
            proxyConfig.update(back);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Http.Answer a = tryProxy(http, accountId + "/api/whoami"); a == null || a.status() != 200; a = tryProxy(http, accountId + "/api/whoami")) {
            assertThat(System.nanoTime()).as("proxy back on the test setting").isLessThan(deadline);
            sleep(100);
        }
    }

    // ---- tokens and failures

    @Test
    public void a401IsAnsweredByOneRefreshAndOneRetryWithTheSameBody() throws Exception {
        Http http = setUp();
        crm.expireAccessTokens();
        int refreshes = crm.refreshCalls();
        crm.reset();
        byte[] body = "{\"Subject\":\"Call\"}".getBytes();
        Http.Answer answer = proxy(http, "POST", accountId + "/api/sobjects/Task", body, "Content-Type", "application/json");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().path("sha256").asText()).isEqualTo(sha256(body));
        assertThat(crm.refreshCalls()).isEqualTo(refreshes + 1);
        List<FakeRequest> attempts = crm.requests().stream().filter(r -> r.path().equals("/api/sobjects/Task")).toList();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).bodyText()).isEqualTo(attempts.get(0).bodyText()).isEqualTo(new String(body));

        // A second 401 goes back to the caller, after exactly one more refresh.
        Http.Answer again = proxy(http, "GET", accountId + "/api/always401", null);
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.body()).contains("INVALID_SESSION_ID");
        assertThat(crm.refreshCalls()).isEqualTo(refreshes + 2);
        // Without a WWW-Authenticate challenge too (the HTTP client must not act on its own).
        Http.Answer bare = proxy(http, "GET", accountId + "/api/bare401", null);
        assertThat(bare.status()).isEqualTo(401);
        assertThat(bare.body()).contains("INVALID_AUTHENTICATION");
        assertThat(crm.refreshCalls()).isEqualTo(refreshes + 3);
    }

    @Test
    public void timeoutsUnreachableProvidersBudgetsAndLimitsAnswerProblems() throws Exception {
        Http http = setUp();
        assertProblem(proxy(http, "GET", accountId + "/api/slow", null), 504, "upstream-timeout");
        String dead = link(http, session, "dead");
        assertProblem(proxy(http, "GET", dead + "/api/x", null), 502, "upstream-unreachable");
        Http.Answer tooLarge = proxy(http, "POST", accountId + "/api/big", new byte[3 * 1024 * 1024 + 1], "Content-Type",
                "application/octet-stream");
        assertProblem(tooLarge, 413, "payload-too-large");
        int seen = crm.requests().size();
        Http.Answer tooLargeChunked = http.send(http.request("v1/proxy/" + accountId + "/api/big").header("Authorization", "Bearer " + session)
                .header("Content-Type", "application/octet-stream") // no Content-Length: found out while it streams
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[3 * 1024 * 1024 + 1]))).build());
        assertProblem(tooLargeChunked, 413, "payload-too-large");
        assertThat(crm.requests()).as("the provider got no complete call").hasSize(seen);

        String budgeted = link(http, session, "budgeted");
        for (int i = 0; i < 3; i++) {
            assertThat(proxy(http, "GET", budgeted + "/api/whoami", null).status()).isEqualTo(200);
        }
        int before = crm.requests().size();
        Http.Answer spent = proxy(http, "GET", budgeted + "/api/whoami", null);
        assertProblem(spent, 429, "rate-limited");
        assertThat(Integer.parseInt(spent.header("Retry-After"))).isBetween(1, 60);
        assertThat(crm.requests()).hasSize(before);
    }

    @Test
    public void anAccountThatNeedsReauthorizationAnswers409WithTheWayBack() throws Exception {
        Http http = setUp();
        String account = link(http, session, "crm");
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE account SET status = 'REAUTH_REQUIRED' WHERE id = ?")) {
            ps.setString(1, account);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (LinkingIT.TestClock clock = LinkingIT.TestClock.register(context, Duration.ofMinutes(1))) { // past the cache's recheck
            Http.Answer answer = proxy(http, "GET", account + "/api/whoami", null);
            assertProblem(answer, 409, "reauth-required");
            assertThat(answer.json().path("connect").asText()).isEqualTo("/v1/connect/crm/tickets");
        }
    }

    // ---- CORS, metrics, audit

    @Test
    public void corsPreflightAndResponsesForTheAppsOrigin() throws Exception {
        Http http = setUp();
        Http.Answer preflight = http.send(http.request("v1/proxy/" + accountId + "/api/x").header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "PATCH").header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PATCH");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
        Http.Answer stranger = http.send(http.request("v1/proxy/" + accountId + "/api/x").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(stranger.header("Access-Control-Allow-Origin")).isNull();
        Http.Answer actual = proxy(http, "GET", accountId + "/api/whoami", null, "Origin", ORIGIN);
        assertThat(actual.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(actual.header("Access-Control-Expose-Headers")).isEqualTo("*");
    }

    @Test
    public void anAddInThatGoesAwayMidResponseEndsTheCallAndTheProxyKeepsServing() throws Exception {
        Http http = setUp();
        String requestId = "gone-" + UUID.randomUUID();
        try (LogCapture logs = LogCapture.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(http.base() + "v1/proxy/" + accountId + "/api/large"))
                    .header("Authorization", "Bearer " + session).header("X-Request-Id", requestId).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (InputStream in = response.body()) {
                assertThat(in.readNBytes(1024 * 1024)).hasSize(1024 * 1024);
            } // closed after 1 of 100 MB: the connection goes away
            // The proxy's write fails, the upstream exchange is aborted, and the call ends with its audit line.
            List<LogCapture.Line> audit = List.of();
            for (int i = 0; i < 100 && audit.isEmpty(); i++) {
                sleep(100);
                audit = logs.lines().stream().filter(l -> l.logger().equals("switchboard.proxy.audit") && l.message().contains("path=/api/large")
                        && requestId.equals(l.mdc().get(Switchboard.REQUEST_ID_MDC))).toList();
            }
            assertThat(audit).as("the abandoned call ended").hasSize(1);
            assertThat(audit.get(0).message()).contains("status=502");
        }
        assertThat(proxy(http, "GET", accountId + "/api/whoami", null).status()).isEqualTo(200);
    }

    /**
     * Add-ins that stop reading a large answer (a phone on a bad network) hold no thread: more of
     * them than the proxy's client threads ({@code client.threads}, 16) leave every other call
     * answering. Their answers wait in buffers and resume when they read again.
     */
    @Test
    public void addInsThatStopReadingHoldNoThreadAndOtherCallsKeepAnswering() throws Exception {
        Http http = setUp();
        List<java.net.Socket> stalled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", http.base().getPort());
                s.getOutputStream().write(("GET /v1/proxy/" + accountId + "/api/large HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + session + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s); // the add-in never reads: the proxy's writes to it cannot complete
            }
            // Every stalled call is under way once the provider's writes stop moving: the buffers are full.
            awaitSteady(crm::largeBytesSent, Duration.ofMillis(1500), Duration.ofSeconds(60));
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                Http.Answer ok = proxy(http, "GET", accountId + "/api/whoami", null);
                assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWERS_WHILE_STALLED);
            }
            // A stalled add-in that reads again gets the rest of its answer.
            java.net.Socket first = stalled.get(0);
            first.setSoTimeout(30_000);
            InputStream in = first.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long read = 0;
            while (read < 8L * 1024 * 1024) {
                int n = in.read(buf);
                assertThat(n).as("the answer continues").isPositive();
                if (read == 0) {
                    assertThat(new String(buf, 0, Math.min(n, 15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
                }
                read += n;
            }
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
        assertThat(proxy(http, "GET", accountId + "/api/whoami", null).status()).isEqualTo(200);
    }

    /**
     * Add-ins that send a body slowly (an attachment from a phone) hold no thread either: more of
     * them than the server's threads (64), some with bodies under the replay buffer (kept, then
     * sent) and some over it (streamed), leave the server and every other call answering; a slow
     * body that completes is then forwarded whole.
     */
    @Test
    public void addInsThatSendSlowlyHoldNoThreadAndOtherCallsKeepAnswering() throws Exception {
        Http http = setUp();
        List<java.net.Socket> slow = new java.util.ArrayList<>();
        String uploadHeaders = "Authorization: Bearer " + session + "\r\nContent-Type: application/octet-stream\r\n";
        byte[] small = new byte[512 * 1024]; // under the replay buffer (1 MiB here)
        new Random(3).nextBytes(small);
        try {
            for (int i = 0; i < 90; i++) {
                boolean streamed = i % 4 == 0; // 23 of them over the replay buffer
                long length = streamed ? 2L * 1024 * 1024 : small.length;
                // a first part of the body, then nothing: over the replay buffer for the streamed ones
                java.net.Socket s = RawHttp.post(http, "/v1/proxy/" + accountId + "/api/files/slow" + i, uploadHeaders, length,
                        Arrays.copyOf(small, 1024));
                if (streamed) {
                    s.getOutputStream().write(new byte[1100 * 1024]);
                }
                s.getOutputStream().flush();
                slow.add(s);
            }
            // And more than the server has threads declare a body over streaming.max.body.bytes (3 MiB here), which
            // the edge reads and drops before its 413: they send a little of it and stop.
            List<java.net.Socket> oversized = new java.util.ArrayList<>();
            long declaredTooLarge = 4L * 1024 * 1024;
            for (int i = 0; i < 70; i++) {
                java.net.Socket s = RawHttp.post(http, "/v1/proxy/" + accountId + "/api/files/big" + i, uploadHeaders, declaredTooLarge,
                        Arrays.copyOf(small, 1024));
                oversized.add(s);
                slow.add(s);
            }
            // Time for the server to take up every stalled request, and longer than the proxy's response
            // time-out (1.5 s here), which starts only once a request is out: a slow upload is not cut off by it.
            sleep(2000);
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                assertThat(http.get("health").status()).isEqualTo(200);
                Http.Answer ok = proxy(http, "GET", accountId + "/api/whoami", null);
                assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWERS_WHILE_STALLED);
            }
            // and no stalled client was let go meanwhile (a time-out would have freed its thread)
            for (int i = 0; i < slow.size(); i++) {
                java.net.Socket s = slow.get(i);
                int available = s.getInputStream().available();
                if (available > 0) {
                    byte[] got = s.getInputStream().readNBytes(available);
                    throw new AssertionError("stalled client " + i + " got an answer: " + new String(got, StandardCharsets.UTF_8));
                }
            }
            // A slow add-in that finishes its body gets the provider's answer to all of it.
            java.net.Socket second = slow.get(1);
            second.getOutputStream().write(small, 1024, small.length - 1024);
            second.getOutputStream().flush();
            String answer = RawHttp.readAnswer(second);
            assertThat(answer).startsWith("HTTP/1.1 201").contains("\"length\":" + small.length).contains(sha256(small));
            // One that sends the rest of its oversized body gets the 413, and the provider no call.
            int seen = crm.requests().size();
            java.net.Socket big = oversized.get(0);
            big.getOutputStream().write(new byte[(int) declaredTooLarge - 1024]);
            big.getOutputStream().flush();
            assertThat(RawHttp.readAnswer(big)).startsWith("HTTP/1.1 413").contains("payload-too-large");
            assertThat(crm.requests()).hasSize(seen);
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
        assertThat(proxy(http, "GET", accountId + "/api/whoami", null).status()).isEqualTo(200);
    }

    @Test
    public void metricsCountCallsPerConnectorAndTheAuditLineHoldsNoSecret() throws Exception {
        Http http = setUp();
        AtomicLong okBefore = new AtomicLong(metric(http, "2xx"));
        try (LogCapture logs = LogCapture.start()) {
            assertThat(proxy(http, "GET", accountId + "/api/whoami?api_key=QUERYSECRET", null).status()).isEqualTo(200);
            assertThat(proxy(http, "GET", accountId + "/api/invalid", null).status()).isEqualTo(400);
            // The line is written once the response is out, so it may trail the answer a little.
            List<LogCapture.Line> audit = List.of();
            for (int i = 0; i < 50 && audit.size() < 2; i++) {
                sleep(i == 0 ? 0 : 100);
                audit = logs.lines().stream().filter(l -> l.logger().equals("switchboard.proxy.audit")).toList();
            }
            assertThat(audit).hasSizeGreaterThanOrEqualTo(2);
            assertThat(audit.get(0).message()).contains("account=" + accountId).contains("connector=crm").contains("status=200");
            for (LogCapture.Line line : logs.lines()) {
                assertThat(line.message()).doesNotContain("QUERYSECRET").doesNotContain(session).doesNotContain("at_");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric(http, "2xx") < okBefore.get() + 1 && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertThat(metric(http, "2xx")).isEqualTo(okBefore.get() + 1);
        String metrics = http.send(http.request("metrics").header("Authorization", "Bearer " + ADMIN).GET().build()).body();
        double count = PrometheusText.value(metrics, "switchboard_proxy_requests_seconds_count", "connector", "crm");
        assertThat(count).isPositive();
        assertThat(PrometheusText.value(metrics, "switchboard_proxy_requests_seconds_count", "connector", "crm", "status", "4xx")).isPositive();
        assertThat(PrometheusText.value(metrics, "switchboard_proxy_requests_seconds_bucket", "connector", "crm", "le", "+Inf"))
                .as("every call in the latency histogram").isEqualTo(count);
        assertProblem(http.send(http.request("metrics").GET().build()), 401, "unauthorized");
    }

    private static long metric(Http http, String statusClass) {
        String metrics = http.send(http.request("metrics").header("Authorization", "Bearer " + ADMIN).GET().build()).body();
        return (long) PrometheusText.value(metrics, "switchboard_proxy_requests_seconds_count", "connector", "crm", "status", statusClass);
    }
}
