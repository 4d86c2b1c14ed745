package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.db.TestDatabases;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S13 across processes: three instances of the shipped jar on one PostgreSQL, a provider that
 * rotates refresh tokens and revokes the whole family when a used one comes back, 0.75 s
 * token-endpoint latency; each round expires the account's token and sends 200 concurrent
 * token requests spread over the three instances. Exactly one upstream refresh per round, no
 * {@code invalid_grant}, no error to any caller.
 */
class RefreshRaceIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "race-admin-token-0123456789";
    private static final String API = "api://race";
    private static final int ROUNDS = 20;
    private static final int CALLERS = 200;

    @TempDir
    Path tmp;

    @Test
    void threeInstancesRefreshAnExpiredAccountExactlyOncePerRound() throws Exception {
        TestDatabases.Db db = TestDatabases.freshPostgres();
        try (FakeEntraId entra = new FakeEntraId();
                FakeOAuthProvider provider = new FakeOAuthProvider("race-client", "race-secret")) {
            provider.accessTokenLifetime(Duration.ofHours(1));
            Map<String, String> env = new HashMap<>();
            env.put("SWITCHBOARD_DB_URL", db.url());
            env.put("SWITCHBOARD_DB_USER", db.user() == null ? "" : db.user());
            env.put("SWITCHBOARD_DB_PASSWORD", db.password() == null ? "" : db.password());
            env.put("SWITCHBOARD_MASTER_KEY", SwitchboardTestSupport.masterKey("race"));
            env.put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
            List<RunningServer> servers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Path home = tmp.resolve("instance-" + i);
                    writeConfig(home, provider);
                    servers.add(RunningServer.start(home, env));
                }
                for (RunningServer s : servers) {
                    s.awaitHealthy(START);
                    provider.registerRedirectUri(s.http().base() + "v1/connect/callback");
                }
                Http first = servers.get(0).http();
                awaitConnector(servers);
                JsonNode app = send(first, "POST", "admin/v1/apps", ADMIN, Map.of("name", "race",
                        "settings", Map.of("identity", Map.of("entra", Map.of("audiences", List.of(API),
                                "tenants", List.of("organizations"), "authority", entra.authority())))));
                String appId = app.path("id").asText();
                String secret = app.path("secret").asText();
                send(first, "PUT", "admin/v1/apps/" + appId + "/connectors/race", secret,
                        Map.of("clientId", "race-client", "clientSecret", "race-secret"));
                String accountId = link(first, entra, provider, appId);

                provider.latency(Duration.ofMillis(750));
                ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
                try {
                    for (int round = 1; round <= ROUNDS; round++) {
                        expire(db, accountId);
                        Thread.sleep(1_200); // longer than cache.recheck.seconds: every instance sees the expiry
                        int refreshesBefore = provider.refreshCalls();
                        CountDownLatch go = new CountDownLatch(1);
                        List<Future<Http.Answer>> calls = new ArrayList<>();
                        for (int i = 0; i < CALLERS; i++) {
                            Http target = servers.get(i % servers.size()).http();
                            calls.add(pool.submit(() -> {
                                go.await();
                                return target.send(target.request("admin/v1/apps/" + appId + "/accounts/" + accountId + "/access-token")
                                        .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.noBody()).build());
                            }));
                        }
                        go.countDown();
                        Set<String> tokens = new HashSet<>();
                        for (Future<Http.Answer> call : calls) {
                            Http.Answer answer = call.get();
                            assertThat(answer.status()).as("round " + round + ": " + answer).isEqualTo(200);
                            tokens.add(answer.json().path("accessToken").asText());
                        }
                        assertThat(provider.refreshCalls() - refreshesBefore).as("upstream refreshes in round " + round).isEqualTo(1);
                        assertThat(tokens).as("round " + round + ": everyone got the new token").hasSize(1);
                        assertThat(provider.accessTokenValid(tokens.iterator().next())).isTrue();
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertThat(provider.grantErrors()).as("invalid_grant or other token errors").isZero();
                assertThat(provider.refreshCalls()).isEqualTo(ROUNDS);
            } finally {
                for (RunningServer s : servers) {
                    s.close();
                }
            }
        }
    }

    private static void writeConfig(Path home, FakeOAuthProvider provider) throws Exception {
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("switchboard.identity.cfg"),
                "admin.token=$[env:SWITCHBOARD_ADMIN_TOKEN;default=]\nallow.insecure.issuers=true\n");
        Files.writeString(etc.resolve("switchboard.vault.cfg"),
                "master.key=$[env:SWITCHBOARD_MASTER_KEY;default=]\nrefresh.skew.seconds=1\ncache.recheck.seconds=1\n");
        Files.writeString(etc.resolve("switchboard.outbound.cfg"), "allow.private.addresses=true\n"); // the provider fake listens on loopback
        Files.writeString(etc.resolve("switchboard.connector.generic-race.cfg"), String.join("\n",
                "connector.id=race",
                "auth.kind=OAUTH2_CODE_PKCE",
                "authorization.url=" + provider.authorizeUrl(),
                "token.url=" + provider.tokenUrl(),
                "revocation.url=" + provider.revokeUrl(),
                "userinfo.url=" + provider.baseUri() + "/userinfo",
                "api.base.url=" + provider.baseUri() + "/api", ""));
    }

    private static void awaitConnector(List<RunningServer> servers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (RunningServer s : servers) {
            // The connector's service is up once the start page no longer answers connector_unavailable.
            while (s.http().get("v1/connect/race/start?ticket=x").body().contains("connector_unavailable")) {
                assertThat(System.nanoTime()).as("connector on every instance").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static String link(Http http, FakeEntraId entra, FakeOAuthProvider provider, String appId) {
        String identity = entra.sign(entra.accessTokenV2("dddddddd-2222-3333-4444-555555555555", UUID.randomUUID().toString(), API, "x")
                .build());
        JsonNode session = IdentityIT.signIn(http, appId, identity);
        Http.Answer ticket = http.send(http.request("v1/connect/race/tickets")
                .header("Authorization", "Bearer " + session.path("accessToken").asText()).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(200);
        Http.Answer start = http.get("v1/connect/race/start?ticket=" + ticket.json().path("ticket").asText());
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        Http.Answer consent = http.get(start.header("Location"));
        Http.Answer done = http.send(http.request(consent.header("Location"))
                .header("Cookie", start.header("Set-Cookie").split(";")[0]).GET().build());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        java.util.regex.Matcher m = LinkingIT.ACCOUNT_ID.matcher(done.body());
        assertThat(m.find()).isTrue();
        assertThat(provider.tokenCalls()).isEqualTo(1);
        return m.group(1);
    }

    private static void expire(TestDatabases.Db db, String accountId) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("UPDATE account SET expires_at = TIMESTAMP '2000-01-01 00:00:00' WHERE id = ?")) {
            ps.setString(1, accountId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static JsonNode send(Http http, String method, String path, String bearer, Object body) throws Exception {
        Http.Answer answer = http.send(http.request(path).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 201);
        return answer.json();
    }
}
