package io.switchboard.itest;

import static io.switchboard.itest.RuntimeIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.LogCapture;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.identity.FakeExchangeServer;
import io.switchboard.testkit.identity.FakeIdentityProvider;
import io.switchboard.testkit.identity.FakeOidcIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Sign-in and sessions end to end over HTTP against local identity providers: Entra ID v2 and v1
 * access tokens, Google and generic OIDC ID tokens; the hostile-token battery; refresh rotation,
 * reuse detection, logout and operator revocation; isolation between apps; CORS; no secret in
 * any log line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdentityIT extends SwitchboardTestSupport {
    static final String ADMIN = "itest-admin-token-" + "0123456789";
    static final String API = "api://switchboard-itest";
    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
    static final String GOOGLE_CLIENT = "google-client.apps.example";
    static final String ORIGIN = "https://addin.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    static FakeEntraId entra;
    static FakeOidcIssuer google;
    static FakeOidcIssuer oidc;
    static FakeExchangeServer exchange;
    static final String ADDIN_URL = "https://addin.example.com/taskpane.html";
    /** Short, so that a test can let one pass; the default is a minute. */
    static final Duration JWKS_COOLDOWN = Duration.ofSeconds(3);
    static String appA;
    static String appB;
    /** The container the fakes and apps above were made for (a subclass boots another one). */
    static Object setUpFor;

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", String.join("\n",
                "admin.token=" + ADMIN,
                "allow.insecure.issuers=true",
                "jwks.cooldown.seconds=" + JWKS_COOLDOWN.toSeconds(),
                "revocation.poll.seconds=1",
                ""));
    }

    private synchronized Http setUp() {
        Http http = awaitHealthy();
        awaitStatus(http, "v1/me", 401, Duration.ofSeconds(30));
        if (setUpFor != context) {
            if (entra != null) {
                entra.close();
                google.close();
                oidc.close();
                exchange.close();
            }
            setUpFor = context;
            entra = new FakeEntraId();
            google = new FakeOidcIssuer();
            oidc = new FakeOidcIssuer();
            exchange = new FakeExchangeServer();
            appA = createApp(http, "App A", List.of(TENANT));
            appB = createApp(http, "App B", List.of(OTHER_TENANT));
        }
        return http;
    }

    private String createApp(Http http, String name, List<String> tenants) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("allowedOrigins", List.of(ORIGIN));
        settings.put("returnUrls", List.of(ORIGIN + "/done.html"));
        settings.put("identity", Map.of(
                "entra", Map.of("audiences", List.of(API), "requiredScope", "access_as_user", "tenants", tenants,
                        "versions", List.of("1.0", "2.0"), "authority", entra.authority()),
                "google", Map.of("clientIds", List.of(GOOGLE_CLIENT), "issuer", google.issuer()),
                "oidc", List.of(Map.of("issuer", oidc.issuer(), "audiences", List.of("oidc-client"))),
                "exchangeLegacy", Map.of("enabled", true, "metadataUrls", List.of(exchange.metadataUrl()), "audiences", List.of(ADDIN_URL))));
        Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", name, "settings", settings));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("secret").asText()).startsWith("sbs_");
        return created.json().path("id").asText();
    }

    // ---- sign-in for every kind of token

    @Test
    public void entraV2AndV1TokensSignInAndTheUserKeyIsStable() {
        Http http = setUp();
        String oid = UUID.randomUUID().toString();
        JsonNode first = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, oid, API, "access_as_user").build()));
        assertThat(first.path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(first.path("expiresIn").asInt()).isBetween(60, 3600);
        assertThat(first.path("organization").path("kind").asText()).isEqualTo("entra");
        assertThat(first.path("organization").path("externalId").asText()).isEqualTo(TENANT);
        String userId = first.path("user").path("id").asText();

        // A later token with another email: same user (keyed by tenant + object id, never email).
        JsonNode second = signIn(http, appA, entra.sign(entra.accessTokenV1(TENANT, oid, API, "access_as_user")
                .claim("upn", "renamed@example.com").build()));
        assertThat(second.path("user").path("id").asText()).isEqualTo(userId);
        assertThat(second.path("user").path("email").asText()).isEqualTo("renamed@example.com");

        Http.Answer me = http.send(http.request("v1/me").header("Authorization", "Bearer " + second.path("accessToken").asText()).GET().build());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("user").path("id").asText()).isEqualTo(userId);
        assertThat(me.json().path("app").asText()).isEqualTo(appA);
    }

    @Test
    public void googleAndOidcTokensSignIn() {
        Http http = setUp();
        JsonNode g = signIn(http, appA, google.sign(google.idToken("g-123", GOOGLE_CLIENT, "a@corp.example")
                .claim("hd", "corp.example").build()));
        assertThat(g.path("organization").path("kind").asText()).isEqualTo("google");
        assertThat(g.path("organization").path("externalId").asText()).isEqualTo("corp.example");
        JsonNode o = signIn(http, appA, oidc.sign(oidc.idToken("o-1", "oidc-client", "o@x.example").build()));
        assertThat(o.path("organization").isNull()).isTrue();
        assertThat(o.path("user").path("id").asText()).isNotEqualTo(g.path("user").path("id").asText());

        // The token may also come as Authorization: Bearer with the app in a header.
        Http.Answer viaHeader = http.send(http.request("v1/sessions")
                .header("Authorization", "Bearer " + oidc.sign(oidc.idToken("o-1", "oidc-client", "o@x.example").build()))
                .header("X-Switchboard-App", appA).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(viaHeader.status()).as(viaHeader.toString()).isEqualTo(200);
        assertThat(viaHeader.json().path("user").path("id").asText()).isEqualTo(o.path("user").path("id").asText());
    }

    @Test
    public void legacyExchangeTokensSignInWhenEnabled() {
        Http http = setUp();
        JsonNode session = signIn(http, appA, exchange.sign(exchange.identityToken("mailbox-7", ADDIN_URL).build()));
        assertThat(session.path("organization").path("kind").asText()).isEqualTo("exchange");
        assertThat(session.path("organization").path("externalId").asText()).isEqualTo(exchange.metadataUrl());
        // A token naming a metadata URL that is not allowed is refused, and that server is never called.
        try (FakeExchangeServer rogue = new FakeExchangeServer()) {
            assertThat(postSignIn(http, appA, rogue.sign(rogue.identityToken("m", ADDIN_URL).build())).status()).isEqualTo(401);
            assertThat(rogue.requests()).isEmpty();
        }
    }

    // ---- the HTTP edge: callers are resolved once, before the resource runs

    @Test
    public void theEdgeResolvesEachKindOfCallerBeforeTheResourceReadsItsBody() {
        Http http = setUp();
        Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "Edge", "settings", Map.of()));
        String app = created.json().path("id").asText();
        String secret = created.json().path("secret").asText();
        String session = signIn(http, appA, oidc.sign(oidc.idToken("edge-1", "oidc-client", "e@x.example").build()))
                .path("accessToken").asText();

        // A protected resource refuses a caller without credentials before it reads (and would refuse) the body.
        Http.Answer anonymous = send(http, "POST", "v1/crm/some-account/contacts", null, "{not json");
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(send(http, "PUT", "admin/v1/apps/" + app + "/config/k", "wrong-secret", "{not json"), 401, "unauthorized");
        assertProblem(send(http, "PUT", "admin/v1/apps/" + app + "/config/k", secret, "{not json"), 400, "malformed-json");

        // The app's secret is a developer credential for its own app only, never an operator's or a session.
        assertThat(send(http, "GET", "admin/v1/apps/" + app + "/connectors", secret, null).status()).isEqualTo(200);
        assertProblem(send(http, "GET", "admin/v1/apps/" + appA + "/connectors", secret, null), 401, "unauthorized");
        assertProblem(send(http, "GET", "admin/v1/apps", secret, null), 401, "unauthorized");
        assertProblem(send(http, "GET", "v1/accounts", secret, null), 401, "unauthorized");
        // A session is not a developer credential; the operator acts for any app that exists.
        assertProblem(send(http, "GET", "admin/v1/apps/" + appA + "/accounts", session, null), 401, "unauthorized");
        assertThat(send(http, "GET", "admin/v1/apps/" + app + "/accounts", ADMIN, null).status()).isEqualTo(200);
        assertProblem(send(http, "GET", "admin/v1/apps/no-such-app/accounts", ADMIN, null), 404, "not-found");
        // Operator-only resources: the operator token, nothing else.
        assertProblem(send(http, "GET", "metrics", secret, null), 401, "unauthorized");
        assertThat(send(http, "GET", "metrics", ADMIN, null).status()).isEqualTo(200);
        // The resolved session reaches the resource whole (/v1/me reads it without a database call).
        Http.Answer me = send(http, "GET", "v1/me", session, null);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("app").asText()).isEqualTo(appA);
        assertThat(me.json().path("user").path("email").asText()).isEqualTo("e@x.example");
        assertThat(me.json().path("session").path("expiresAt").asText()).matches("\\d{4}-.*Z");
    }

    private static Http.Answer send(Http http, String method, String path, String bearer, String body) {
        HttpRequest.Builder request = http.request(path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build());
    }

    // ---- the hostile-token battery (docs/security.md S1–S6)

    @Test
    public void hostileTokensAreRefusedWith401AndNeverA5xx() throws Exception {
        Http http = setUp();
        String oid = UUID.randomUUID().toString();
        JWTClaimsSet good = entra.accessTokenV2(TENANT, oid, API, "access_as_user").build();
        RSAKey attacker = FakeIdentityProvider.newRsaKey();
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("alg none", new PlainJWT(good).serialize());
        hostile.put("HS256 with the RSA public key", hs256WithPublicKey(good));
        hostile.put("foreign tenant", entra.sign(entra.accessTokenV2(OTHER_TENANT, oid, API, "access_as_user").build()));
        hostile.put("issuer of another tenant", entra.sign(new JWTClaimsSet.Builder(good).issuer(entra.issuerV2(OTHER_TENANT)).build()));
        hostile.put("wrong audience", entra.sign(entra.accessTokenV2(TENANT, oid, "api://someone-else", "access_as_user").build()));
        hostile.put("missing scope", entra.sign(entra.accessTokenV2(TENANT, oid, API, "User.Read").build()));
        hostile.put("expired beyond leeway", entra.sign(new JWTClaimsSet.Builder(good)
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
        hostile.put("not before in the future", entra.sign(new JWTClaimsSet.Builder(good)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()));
        hostile.put("missing exp", entra.sign(new JWTClaimsSet.Builder(good).expirationTime(null).build()));
        hostile.put("jku header", FakeIdentityProvider.sign(good, attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(attacker.getKeyID()).jwkURL(URI.create("https://evil.example/keys")).build()));
        hostile.put("x5u header", FakeIdentityProvider.sign(good, attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(attacker.getKeyID()).x509CertURL(URI.create("https://evil.example/cert")).build()));
        hostile.put("x5c header", FakeIdentityProvider.sign(good, attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(entra.signingKey().getKeyID()).x509CertChain(List.of(new com.nimbusds.jose.util.Base64("MIIBszCCAVmgAwIBAgIU"))).build()));
        hostile.put("embedded jwk", FakeIdentityProvider.sign(good, attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(attacker.getKeyID()).jwk(attacker.toPublicJWK()).build()));
        hostile.put("attacker key, known kid", FakeIdentityProvider.sign(good, attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(entra.signingKey().getKeyID()).build()));
        hostile.put("oversized", entra.sign(new JWTClaimsSet.Builder(good).claim("pad", "x".repeat(20_000)).build()));
        hostile.put("malformed segments", "abc.def");
        hostile.put("garbage base64", "eyJhbGciOiJSUzI1NiJ9.!!!.???");
        hostile.put("deeply nested", deeplyNested());
        hostile.put("v1 issuer with v2 version", entra.sign(new JWTClaimsSet.Builder(good).issuer(FakeEntraId.issuerV1(TENANT)).build()));
        hostile.put("consumer tenant (app B allows only its tenant)", entra.sign(entra.accessTokenV2(
                "9188040d-6c67-4c5b-b112-36a304b66dad", oid, API, "access_as_user").build()));
        hostile.put("no oid", entra.sign(new JWTClaimsSet.Builder(good).claim("oid", null).build()));
        hostile.put("google token with wrong audience", google.sign(google.idToken("g", "other-client", "x@y").build()));
        hostile.put("unknown issuer", oidc.sign(new JWTClaimsSet.Builder(oidc.idToken("s", "oidc-client", "e").build())
                .issuer("https://not-configured.example").build()));

        for (Map.Entry<String, String> t : hostile.entrySet()) {
            Http.Answer answer = postSignIn(http, appA, t.getValue());
            assertThat(answer.status()).as(t.getKey() + ": " + answer).isEqualTo(401);
            assertProblem(answer, 401, "unauthorized");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }
        // A token for app A presented for app B.
        Http.Answer forB = postSignIn(http, appB, entra.sign(good));
        assertThat(forB.status()).isEqualTo(401);
    }

    @Test
    public void mutatedTokensNeverAnswer5xx() {
        Http http = setUp();
        String token = entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build());
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/{}\"";
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            char[] chars = token.toCharArray();
            int flips = 1 + random.nextInt(5);
            for (int f = 0; f < flips; f++) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String mutated = new String(chars);
            if (mutated.equals(token)) {
                continue;
            }
            Http.Answer answer = postSignIn(http, appA, mutated);
            assertThat(answer.status()).as("mutation " + i).isLessThan(500);
            if (answer.status() == 200) {
                accepted++;
            }
        }
        // A flipped character in the payload or signature must break the signature; only flips
        // that leave the decoded bytes unchanged (base64 padding bits) may still verify.
        assertThat(accepted).isLessThan(5);
    }

    @Test
    public void aFloodOfUnknownKeyIdsFetchesTheJwksOncePerCooldownAndPicksUpARotatedKey() {
        Http http = setUp();
        // Warm the key cache with one valid sign-in, then let a whole cool-down pass: the next unknown key may fetch.
        signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        sleep(JWKS_COOLDOWN.toMillis() + 200);
        entra.rotateKeys(); // the provider publishes a new key and signs with it from now on
        int before = entra.jwksFetches();
        long started = System.nanoTime();
        RSAKey attacker = FakeIdentityProvider.newRsaKey();
        JWTClaimsSet claims = entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build();
        for (int i = 0; i < 50; i++) {
            String token = FakeIdentityProvider.sign(claims, attacker,
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i).build());
            assertThat(postSignIn(http, appA, token).status()).isEqualTo(401);
        }
        // The first unknown key id fetched the key set once, which brought the rotated key along.
        Http.Answer rotated = postSignIn(http, appA, entra.sign(claims));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        long cooldowns = Duration.ofNanos(System.nanoTime() - started).toMillis() / JWKS_COOLDOWN.toMillis();
        assertThat(entra.jwksFetches() - before).as("fetches in %d whole cool-downs", cooldowns)
                .isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(1 + (int) cooldowns);
    }

    // ---- sessions

    @Test
    public void refreshRotatesAndReuseRevokesTheSession() {
        Http http = setUp();
        JsonNode session = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        String firstRefresh = session.path("refreshToken").asText();
        Http.Answer rotated = refresh(http, firstRefresh);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String secondRefresh = rotated.json().path("refreshToken").asText();
        String access = rotated.json().path("accessToken").asText();
        assertThat(secondRefresh).isNotEqualTo(firstRefresh);
        assertThat(me(http, access).status()).isEqualTo(200);

        // The first refresh token again: reuse, the whole session ends.
        assertProblem(refresh(http, firstRefresh), 401, "unauthorized");
        assertThat(refresh(http, secondRefresh).status()).isEqualTo(401);
        assertThat(me(http, access).status()).isEqualTo(401);
    }

    @Test
    public void logoutAndOperatorRevocationEndSessions() {
        Http http = setUp();
        String oid = UUID.randomUUID().toString();
        JsonNode one = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, oid, API, "access_as_user").build()));
        Http.Answer logout = http.send(http.request("v1/sessions/current")
                .header("Authorization", "Bearer " + one.path("accessToken").asText()).DELETE().build());
        assertThat(logout.status()).isEqualTo(204);
        assertThat(me(http, one.path("accessToken").asText()).status()).isEqualTo(401);
        assertThat(refresh(http, one.path("refreshToken").asText()).status()).isEqualTo(401);

        JsonNode two = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, oid, API, "access_as_user").build()));
        JsonNode three = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, oid, API, "access_as_user").build()));
        String userId = two.path("user").path("id").asText();
        // Revoking under another app's path is refused and changes nothing.
        assertThat(admin(http, "DELETE", "admin/v1/apps/" + appB + "/users/" + userId + "/sessions", null).status()).isEqualTo(404);
        assertThat(me(http, two.path("accessToken").asText()).status()).isEqualTo(200);
        Http.Answer revoked = admin(http, "DELETE", "admin/v1/apps/" + appA + "/users/" + userId + "/sessions", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("revoked").asInt()).isEqualTo(2);
        assertThat(me(http, two.path("accessToken").asText()).status()).isEqualTo(401);
        assertThat(me(http, three.path("accessToken").asText()).status()).isEqualTo(401);
    }

    @Test
    public void deletingAnAppEndsItsSessionsAtOnceHereAndWithinThePollElsewhere() throws Exception {
        Http http = setUp();
        // Deleted through this instance: its sessions end at once (they lived up to 15 minutes before).
        String here = createApp(http, "Deleted here", List.of(TENANT));
        String access = signIn(http, here, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user")
                .build())).path("accessToken").asText();
        assertThat(me(http, access).status()).isEqualTo(200);
        assertThat(admin(http, "DELETE", "admin/v1/apps/" + here, null).status()).isEqualTo(204);
        assertProblem(me(http, access), 401, "unauthorized");
        assertProblem(http.send(http.request("v1/accounts").header("Authorization", "Bearer " + access).GET().build()), 401,
                "unauthorized");

        // Deleted by another instance (its row gone from the shared database): ended within revocation.poll.seconds (1 s here).
        String elsewhere = createApp(http, "Deleted elsewhere", List.of(TENANT));
        String other = signIn(http, elsewhere, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API,
                "access_as_user").build())).path("accessToken").asText();
        assertThat(me(http, other).status()).isEqualTo(200);
        javax.sql.DataSource ds = service(javax.sql.DataSource.class, "(osgi.jndi.service.name=switchboard)");
        try (java.sql.Connection c = ds.getConnection();
             java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM app WHERE id = ?")) {
            delete.setString(1, elsewhere);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        awaitEndedByThePoll(http, other);
        assertThat(me(http, signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API,
                "access_as_user").build())).path("accessToken").asText()).status()).as("other apps' sessions").isEqualTo(200);
    }

    /**
     * Issue 17, README promises no test exercised: refresh tokens are kept only as SHA-256 hashes, and a
     * logout on another instance (its row revoked in the shared database) ends the session here within
     * revocation.poll.seconds (1 s in this class).
     */
    @Test
    public void refreshTokensAreStoredOnlyAsHashesAndALogoutElsewhereEndsTheSessionHere() throws Exception {
        Http http = setUp();
        JsonNode session = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user")
                .build()));
        String refresh = session.path("refreshToken").asText();
        String access = session.path("accessToken").asText();
        javax.sql.DataSource ds = service(javax.sql.DataSource.class, "(osgi.jndi.service.name=switchboard)");
        String sessionId;
        try (java.sql.Connection c = ds.getConnection()) {
            try (java.sql.PreparedStatement q = c.prepareStatement("SELECT token_hash, session_id FROM session_refresh_token WHERE token_hash = ?")) {
                q.setString(1, io.switchboard.core.api.util.Digests.sha256Hex(refresh));
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).as("the refresh token's hash is stored").isTrue();
                    sessionId = rs.getString(2);
                }
            }
            try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT token_hash FROM session_refresh_token")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isNotEqualTo(refresh).doesNotContain(refresh);
                }
            }
            assertThat(me(http, access).status()).isEqualTo(200);
            try (java.sql.PreparedStatement revoke = c.prepareStatement("UPDATE user_session SET revoked_at = ? WHERE id = ?")) {
                revoke.setTimestamp(1, java.sql.Timestamp.from(Instant.now()));
                revoke.setString(2, sessionId);
                assertThat(revoke.executeUpdate()).isEqualTo(1);
            }
        }
        awaitEndedByThePoll(http, access);
        assertThat(refresh(http, refresh).status()).isEqualTo(401);
    }

    @Test
    public void requestsWithoutOrWithBadSessionsGet401WithAChallenge() {
        Http http = setUp();
        Http.Answer none = http.get("v1/me");
        assertProblem(none, 401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        JsonNode session = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        String access = session.path("accessToken").asText();
        String tampered = access.substring(0, access.length() - 4) + (access.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertProblem(me(http, tampered), 401, "unauthorized");
        // An identity-provider token is not a Switchboard session.
        assertProblem(me(http, entra.sign(entra.accessTokenV2(TENANT, "x", API, "access_as_user").build())), 401, "unauthorized");
    }

    // ---- apps, isolation, admin

    @Test
    public void adminApiNeedsTheOperatorTokenAndManagesApps() {
        Http http = setUp();
        assertProblem(http.get("admin/v1/apps"), 401, "unauthorized");
        assertProblem(http.send(http.request("admin/v1/apps").header("Authorization", "Bearer wrong").GET().build()), 401, "unauthorized");
        assertThat(admin(http, "GET", "admin/v1/apps", null).json().path("items").size()).isGreaterThanOrEqualTo(2);

        Http.Answer invalid = admin(http, "POST", "admin/v1/apps", Map.of("name", "bad",
                "settings", Map.of("allowedOrigins", List.of("https://ok.example/path"), "returnUrls", List.of("http://insecure.example/x"))));
        assertProblem(invalid, 400, "validation");
        assertThat(invalid.json().path("errors").size()).isEqualTo(2);

        String temp = createApp(http, "Temporary", List.of("organizations"));
        Http.Answer got = admin(http, "GET", "admin/v1/apps/" + temp, null);
        assertThat(got.json().path("name").asText()).isEqualTo("Temporary");
        assertThat(got.body()).doesNotContain("secret");
        Http.Answer renamed = admin(http, "PUT", "admin/v1/apps/" + temp, Map.of("name", "Renamed"));
        assertThat(renamed.json().path("name").asText()).isEqualTo("Renamed");
        Http.Answer secret = admin(http, "POST", "admin/v1/apps/" + temp + "/secret", null);
        assertThat(secret.json().path("secret").asText()).startsWith("sbs_");

        JsonNode session = signIn(http, temp, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        assertThat(admin(http, "GET", "admin/v1/apps/" + temp + "/users?limit=1", null).json().path("items").size()).isEqualTo(1);
        assertThat(admin(http, "GET", "admin/v1/apps/" + temp + "/organizations", null).json().path("items").get(0)
                .path("externalId").asText()).isEqualTo(TENANT);
        // Deleting the app removes its users and sessions.
        assertThat(admin(http, "DELETE", "admin/v1/apps/" + temp, null).status()).isEqualTo(204);
        assertThat(admin(http, "GET", "admin/v1/apps/" + temp, null).status()).isEqualTo(404);
        assertThat(refresh(http, session.path("refreshToken").asText()).status()).isEqualTo(401);
    }

    @Test
    public void usersAndOrganizationsListingsArePagedAndPerApp() {
        Http http = setUp();
        for (int i = 0; i < 3; i++) {
            signIn(http, appB, entra.sign(entra.accessTokenV2(OTHER_TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        }
        Http.Answer page1 = admin(http, "GET", "admin/v1/apps/" + appB + "/users?limit=2", null);
        assertThat(page1.json().path("items").size()).isEqualTo(2);
        String cursor = page1.json().path("nextCursor").asText();
        Http.Answer page2 = admin(http, "GET", "admin/v1/apps/" + appB + "/users?limit=2&cursor=" + cursor, null);
        assertThat(page2.json().path("items").size()).isGreaterThanOrEqualTo(1);
        List<String> ids = new ArrayList<>();
        page1.json().path("items").forEach(u -> ids.add(u.path("id").asText()));
        page2.json().path("items").forEach(u -> ids.add(u.path("id").asText()));
        assertThat(ids).doesNotHaveDuplicates();
        admin(http, "GET", "admin/v1/apps/" + appA + "/organizations", null).json().path("items")
                .forEach(o -> assertThat(o.path("externalId").asText()).isNotEqualTo(OTHER_TENANT));
        assertProblem(admin(http, "GET", "admin/v1/apps/" + appB + "/users?limit=0", null), 400, "bad-request");
        assertProblem(admin(http, "GET", "admin/v1/apps/" + appB + "/users?cursor=%21%21", null), 400, "bad-request");
    }

    @Test
    public void aRefreshTokenOfOneAppDoesNotWorkForAnother() {
        Http http = setUp();
        JsonNode session = signIn(http, appA, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build()));
        Http.Answer cross = http.send(http.request("v1/sessions/refresh").header("Content-Type", "application/json")
                .header("X-Switchboard-App", appB)
                .POST(HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"" + session.path("refreshToken").asText() + "\"}")).build());
        assertThat(cross.status()).isEqualTo(401);
        assertThat(refresh(http, session.path("refreshToken").asText()).status()).isEqualTo(200);
    }

    // ---- CORS

    @Test
    public void corsAnswersPreflightAndRequestsOnlyForRegisteredOrigins() {
        Http http = setUp();
        Http.Answer preflight = http.send(http.request("v1/me").header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(preflight.status()).isLessThan(300);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        Http.Answer foreign = http.send(http.request("v1/me").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

        String token = entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user").build());
        Http.Answer signIn = http.send(http.request("v1/sessions").header("Origin", ORIGIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"app\":\"" + appA + "\",\"token\":\"" + token + "\"}")).build());
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);

        Http.Answer fromEvil = http.send(http.request("v1/me").header("Origin", "https://evil.example")
                .header("Authorization", "Bearer " + signIn.json().path("accessToken").asText()).GET().build());
        assertThat(fromEvil.status()).isEqualTo(200);
        assertThat(fromEvil.header("Access-Control-Allow-Origin")).isNull();
        // An origin only another app registered: preflights are answered for it (any app's origin), but app A's
        // answers are not readable from it (issue 17: the README's promise had no test).
        Map<String, Object> other = Map.of("allowedOrigins", List.of("https://other-addin.example"),
                "identity", Map.of("entra", Map.of("audiences", List.of(API), "tenants", List.of(TENANT), "authority", entra.authority())));
        String appC = admin(http, "POST", "admin/v1/apps", Map.of("name", "App C", "settings", other)).json().path("id").asText();
        try {
            Http.Answer fromAnotherApp = http.send(http.request("v1/me").header("Origin", "https://other-addin.example")
                    .header("Authorization", "Bearer " + signIn.json().path("accessToken").asText()).GET().build());
            assertThat(fromAnotherApp.status()).isEqualTo(200);
            assertThat(fromAnotherApp.header("Access-Control-Allow-Origin")).isNull();
        } finally {
            admin(http, "DELETE", "admin/v1/apps/" + appC, null);
        }
    }

    // ---- secrets never reach the logs (docs/security.md S20)

    @Test
    public void noTokenOrSecretAppearsInAnyLogLine() {
        Http http = setUp();
        try (LogCapture logs = LogCapture.start()) {
            String canary = "CANARY" + UUID.randomUUID().toString().replace("-", "");
            String identity = entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "access_as_user")
                    .claim("name", canary).build());
            JsonNode session = signIn(http, appA, identity);
            refresh(http, session.path("refreshToken").asText());
            refresh(http, session.path("refreshToken").asText()); // reuse: logged as a warning
            postSignIn(http, appA, entra.sign(entra.accessTokenV2(OTHER_TENANT, "x", API, "access_as_user").build()));
            Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "Canary", "settings", Map.of()));
            List<String> secrets = List.of(identity, session.path("accessToken").asText(), session.path("refreshToken").asText(),
                    created.json().path("secret").asText(), ADMIN, canary);
            assertThat(logs.lines()).isNotEmpty();
            for (LogCapture.Line line : logs.lines()) {
                for (String secret : secrets) {
                    assertThat(line.message() + " " + line.thrown()).doesNotContain(secret);
                }
            }
        }
    }

    // ---- helpers

    static JsonNode signIn(Http http, String app, String token) {
        Http.Answer answer = postSignIn(http, app, token);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    static Http.Answer postSignIn(Http http, String app, String token) {
        ObjectNode body = JSON.createObjectNode().put("app", app).put("token", token);
        return http.send(http.request("v1/sessions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static Http.Answer refresh(Http http, String refreshToken) {
        return http.send(http.request("v1/sessions/refresh").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"" + refreshToken + "\"}")).build());
    }

    /** Waits for a session ended elsewhere (in the shared database) to be refused here: within the 1 s poll, with margin. */
    private static void awaitEndedByThePoll(Http http, String accessToken) throws InterruptedException {
        Instant ended = Instant.now();
        while (me(http, accessToken).status() == 200) {
            assertThat(Duration.between(ended, Instant.now())).as("still accepted after the poll").isLessThan(Duration.ofSeconds(4));
            Thread.sleep(100);
        }
        assertProblem(me(http, accessToken), 401, "unauthorized");
    }

    private static Http.Answer me(Http http, String accessToken) {
        return http.send(http.request("v1/me").header("Authorization", "Bearer " + accessToken).GET().build());
    }

    static Http.Answer admin(Http http, String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            return http.send(http.request(path).header("Authorization", "Bearer " + ADMIN)
                    .header("Content-Type", "application/json").method(method, publisher).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hs256WithPublicKey(JWTClaimsSet claims) throws Exception {
        byte[] secret = entra.signingKey().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(entra.signingKey().getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String deeplyNested() {
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes());
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes());
        return header + "." + payload + ".c2ln";
    }
}
