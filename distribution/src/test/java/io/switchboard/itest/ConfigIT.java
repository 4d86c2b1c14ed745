package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.IdentityIT.signIn;
import static io.switchboard.itest.RuntimeIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Configuration documents over HTTP: inheritance with locks, conditional writes under 50
 * concurrent writers, who may read and write what, and refused input leaving documents unchanged.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigIT extends SwitchboardTestSupport {
    static final String TENANT = "aaaaaaaa-2222-3333-4444-555555555555";
    static final String OTHER_TENANT = "bbbbbbbb-2222-3333-4444-555555555555";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Object setUpFor;
    static FakeEntraId entra;
    static String app;
    static String appSecret;
    static String strictApp;
    static String strictSecret;
    static Session admin;
    static Session member;
    static Session outsider;

    record Session(String token, String userId, String orgId) {}

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + IdentityIT.ADMIN + "\nallow.insecure.issuers=true\n");
    }

    private synchronized Http setUp() {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            if (entra != null) {
                entra.close();
            }
            setUpFor = context;
            entra = new FakeEntraId();
            JsonNode a = createApp(http, false);
            app = a.path("id").asText();
            appSecret = a.path("secret").asText();
            JsonNode s = createApp(http, true);
            strictApp = s.path("id").asText();
            strictSecret = s.path("secret").asText();
            admin = session(http, app, TENANT);
            member = session(http, app, TENANT);
            outsider = session(http, app, OTHER_TENANT);
            Http.Answer grant = developer(http, "PUT", app, appSecret, "organizations/" + admin.orgId() + "/admins/" + admin.userId(), null);
            assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        }
        return http;
    }

    private static JsonNode createApp(Http http, boolean requireIfMatch) {
        Map<String, Object> settings = Map.of(
                "identity", Map.of("entra", Map.of("audiences", List.of("api://cfg"), "tenants", List.of("organizations"),
                        "authority", entra.authority())),
                "config", Map.of("requireIfMatch", requireIfMatch));
        Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "config app", "settings", settings));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static Session session(Http http, String appId, String tenant) {
        JsonNode s = signIn(http, appId, entra.sign(entra.accessTokenV2(tenant, UUID.randomUUID().toString(), "api://cfg", "x").build()));
        return new Session(s.path("accessToken").asText(), s.path("user").path("id").asText(), s.path("organization").path("id").asText());
    }

    @Test
    public void inheritanceAndLocksGiveTheDocumentedEffectiveDocument() {
        Http http = setUp();
        String key = "ui." + UUID.randomUUID().toString().substring(0, 8);
        // Nothing stored: an empty document, nothing locked.
        JsonNode empty = user(http, member, "GET", "v1/config/effective/" + key, null, null).json();
        assertThat(empty.path("document").size()).isZero();

        assertThat(developer(http, "PUT", app, appSecret, "config/" + key,
                "{\"theme\":\"light\",\"lang\":\"en\",\"crm\":{\"sync\":true,\"limit\":10}}").status()).isEqualTo(201);
        JsonNode appOnly = user(http, member, "GET", "v1/config/effective/" + key, null, null).json();
        assertThat(appOnly.path("document").path("theme").asText()).isEqualTo("light");

        // User overlay without locks: the user's values win, nested objects merge, null removes.
        user(http, member, "PUT", "v1/config/user/" + key, "{\"theme\":\"blue\",\"crm\":{\"limit\":5,\"sync\":null},\"extra\":1}", null);
        JsonNode userOverlay = user(http, member, "GET", "v1/config/effective/" + key, null, null).json().path("document");
        assertThat(userOverlay.toString()).isEqualTo("{\"theme\":\"blue\",\"lang\":\"en\",\"crm\":{\"limit\":5},\"extra\":1}");

        // The organization overlays the app; its admin locks theme for users; the app locks lang for everyone below.
        assertThat(user(http, admin, "PUT", "v1/config/org/" + key, "{\"theme\":\"dark\",\"lang\":\"fr\",\"crm\":{\"sync\":false}}", null)
                .status()).isEqualTo(201);
        assertThat(user(http, admin, "PUT", "v1/config/org/" + key + "/locks", "[\"theme\"]", null).status()).isEqualTo(200);
        assertThat(developer(http, "PUT", app, appSecret, "config/" + key + "/locks", "[\"lang\"]").status()).isEqualTo(200);
        JsonNode effective = user(http, member, "GET", "v1/config/effective/" + key, null, null).json();
        assertThat(effective.path("document").toString())
                .isEqualTo("{\"theme\":\"dark\",\"lang\":\"en\",\"crm\":{\"limit\":5},\"extra\":1}");
        assertThat(effective.path("locked").toString()).isEqualTo("[\"lang\",\"theme\"]");
        assertThat(effective.path("versions").path("app").asLong()).isEqualTo(2);

        // A user of another organization sees the app's values with only their own overlay.
        JsonNode other = user(http, outsider, "GET", "v1/config/effective/" + key, null, null).json();
        assertThat(other.path("document").path("theme").asText()).isEqualTo("light");
        assertThat(other.path("versions").path("org").isNull()).isTrue();

        // Unlocking lets the user's value through again.
        developer(http, "PUT", app, appSecret, "config/" + key + "/locks", "[]");
        user(http, admin, "PUT", "v1/config/org/" + key + "/locks", "[]", null);
        assertThat(user(http, member, "GET", "v1/config/effective/" + key, null, null).json().path("document").path("theme").asText())
                .isEqualTo("blue");
    }

    /** Issue 17, a README promise no test exercised: the configuration audit holds member names, never values. */
    @Test
    public void theAuditHoldsMemberNamesNeverValues() throws Exception {
        Http http = setUp();
        String key = "audited." + UUID.randomUUID().toString().substring(0, 8);
        String value = "value-" + UUID.randomUUID();
        assertThat(developer(http, "PUT", app, appSecret, "config/" + key, "{\"apiKey\":\"" + value + "\",\"nested\":{\"token\":\""
                + value + "\"}}").status()).isEqualTo(201);
        user(http, member, "PUT", "v1/config/user/" + key, "{\"apiKey\":\"" + value + "-mine\"}", null);
        javax.sql.DataSource ds = service(javax.sql.DataSource.class, "(osgi.jndi.service.name=switchboard)");
        List<String> details = new java.util.ArrayList<>();
        try (java.sql.Connection c = ds.getConnection();
             java.sql.PreparedStatement q = c.prepareStatement("SELECT detail FROM audit_event WHERE subject LIKE ?")) {
            q.setString(1, "%" + key);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    details.add(rs.getString(1));
                }
            }
        }
        assertThat(details).hasSizeGreaterThanOrEqualTo(2).anySatisfy(d -> assertThat(d).contains("apiKey"))
                .allSatisfy(d -> assertThat(d).doesNotContain(value));
    }

    @Test
    public void fiftyConcurrentReadModifyWriteClientsLoseNoUpdate() throws Exception {
        Http http = setUp();
        String key = "counter." + UUID.randomUUID().toString().substring(0, 8);
        user(http, member, "PUT", "v1/config/user/" + key, "{\"writes\":[]}", null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String writer = "w" + i;
            results.add(pool.submit((Callable<Integer>) () -> {
                Http.Answer read = user(http, member, "GET", "v1/config/user/" + key, null, null);
                ObjectNode doc = (ObjectNode) read.json().path("document");
                ((ArrayNode) doc.get("writes")).add(writer);
                return user(http, member, "PUT", "v1/config/user/" + key, doc.toString(), read.header("ETag")).status();
            }));
        }
        int ok = 0;
        int conflicts = 0;
        for (Future<Integer> f : results) {
            int status = f.get();
            if (status == 200) {
                ok++;
            } else {
                assertThat(status).isEqualTo(412);
                conflicts++;
            }
        }
        pool.shutdown();
        JsonNode finalDoc = user(http, member, "GET", "v1/config/user/" + key, null, null).json();
        assertThat(ok).isPositive();
        assertThat(ok + conflicts).isEqualTo(50);
        assertThat(finalDoc.path("document").path("writes").size()).as("every successful write is there").isEqualTo(ok);
        assertThat(finalDoc.path("version").asInt()).isEqualTo(1 + ok);
    }

    @Test
    public void whoMayReadAndWriteWhat() {
        Http http = setUp();
        String key = "acl." + UUID.randomUUID().toString().substring(0, 8);
        assertProblem(user(http, member, "PUT", "v1/config/org/" + key, "{\"a\":1}", null), 403, "forbidden");
        assertProblem(user(http, member, "PUT", "v1/config/app/" + key, "{\"a\":1}", null), 403, "forbidden");
        assertProblem(user(http, member, "PUT", "v1/config/org/" + key + "/locks", "[\"a\"]", null), 403, "forbidden");
        user(http, admin, "PUT", "v1/config/org/" + key, "{\"a\":1}", null);
        assertThat(user(http, member, "GET", "v1/config/org/" + key, null, null).json().path("document").path("a").asInt()).isEqualTo(1);
        assertProblem(user(http, outsider, "GET", "v1/config/org/" + key, null, null), 404, "not-found");

        user(http, member, "PUT", "v1/config/user/" + key, "{\"mine\":true}", null);
        assertProblem(user(http, admin, "GET", "v1/config/user/" + key, null, null), 404, "not-found");

        // The app's documents: the developer with this app's secret, never another app's secret or none.
        assertProblem(developer(http, "PUT", app, strictSecret, "config/" + key, "{\"a\":1}"), 401, "unauthorized");
        assertProblem(developer(http, "PUT", app, null, "config/" + key, "{\"a\":1}"), 401, "unauthorized");
        assertProblem(http.send(http.request("v1/config/user/" + key).GET().build()), 401, "unauthorized");
        assertProblem(user(http, member, "GET", "v1/config/nope/" + key, null, null), 404, "not-found");
    }

    @Test
    public void refusedInputAnswersProblemsAndChangesNothing() {
        Http http = setUp();
        String key = "input." + UUID.randomUUID().toString().substring(0, 8);
        user(http, member, "PUT", "v1/config/user/" + key, "{\"kept\":true}", null);
        assertProblem(user(http, member, "PUT", "v1/config/user/" + key, "{\"big\":\"" + "x".repeat(70_000) + "\"}", null), 413, "payload-too-large");
        assertProblem(user(http, member, "PUT", "v1/config/user/" + key, "{\"broken\":", null), 400, "malformed-json");
        assertProblem(user(http, member, "PUT", "v1/config/user/" + key, "[1,2]", null), 400, "validation");
        assertProblem(user(http, member, "PUT", "v1/config/user/Bad%20Key", "{}", null), 400, "validation");
        assertProblem(user(http, member, "PUT", "v1/config/user/" + key, "{}", "\"99\""), 412, "precondition-failed");
        JsonNode stored = user(http, member, "GET", "v1/config/user/" + key, null, null).json();
        assertThat(stored.path("version").asInt()).isEqualTo(1);
        assertThat(stored.path("document").toString()).isEqualTo("{\"kept\":true}");
    }

    @Test
    public void etagsMergePatchAndRequiredConditionalWrites() {
        Http http = setUp();
        String key = "etag." + UUID.randomUUID().toString().substring(0, 8);
        Http.Answer created = user(http, member, "PUT", "v1/config/user/" + key, "{\"a\":1,\"b\":{\"c\":2}}", null);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        Http.Answer patched = http.send(http.request("v1/config/user/" + key).header("Authorization", "Bearer " + member.token())
                .header("Content-Type", "application/merge-patch+json").header("If-Match", "\"1\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"b\":{\"d\":3},\"a\":null}")).build());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("document").toString()).isEqualTo("{\"b\":{\"c\":2,\"d\":3}}");
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");

        Session strict = session(http, strictApp, TENANT);
        assertProblem(user(http, strict, "PUT", "v1/config/user/" + key, "{\"a\":1}", null), 428, "precondition-required");
        assertProblem(developer(http, "PUT", strictApp, strictSecret, "config/" + key, "{\"a\":1}"), 428, "precondition-required");
        assertThat(user(http, strict, "PUT", "v1/config/user/" + key, "{\"a\":1}", "*").status()).isEqualTo(412);
        assertThat(user(http, member, "DELETE", "v1/config/user/" + key, null, "\"2\"").status()).isEqualTo(204);
        assertProblem(user(http, member, "GET", "v1/config/user/" + key, null, null), 404, "not-found");
    }

    @Test
    public void schemasRefuseViolationsListingThePathsAndLeaveDocumentsUnchanged() {
        Http http = setUp();
        String key = "schema." + UUID.randomUUID().toString().substring(0, 8);
        String schema = "{\"type\":\"object\",\"required\":[\"theme\"],\"properties\":{"
                + "\"theme\":{\"enum\":[\"light\",\"dark\",\"blue\"]},\"limit\":{\"type\":\"integer\",\"maximum\":100}}}";
        assertThat(developer(http, "PUT", app, appSecret, "config/" + key + "/schema", schema).status()).isEqualTo(204);
        assertThat(developer(http, "GET", app, appSecret, "config/" + key + "/schema", null).json().path("required").get(0).asText())
                .isEqualTo("theme");

        Http.Answer missing = developer(http, "PUT", app, appSecret, "config/" + key, "{\"limit\":5}");
        assertProblem(missing, 422, "schema-violation");
        assertThat(missing.json().path("errors").get(0).path("message").asText()).contains("theme");
        assertThat(developer(http, "PUT", app, appSecret, "config/" + key, "{\"theme\":\"light\"}").status()).isEqualTo(201);

        // A user's overlay is checked as the user will read it back: the app's theme fills the gap.
        assertThat(user(http, member, "PUT", "v1/config/user/" + key, "{\"limit\":7}", null).status()).isEqualTo(201);
        Http.Answer bad = user(http, member, "PUT", "v1/config/user/" + key, "{\"theme\":\"purple\",\"limit\":1000}", null);
        assertProblem(bad, 422, "schema-violation");
        List<String> paths = new ArrayList<>();
        bad.json().path("errors").forEach(e -> paths.add(e.path("path").asText()));
        assertThat(paths).containsExactlyInAnyOrder("$.theme", "$.limit");
        JsonNode stored = user(http, member, "GET", "v1/config/user/" + key, null, null).json();
        assertThat(stored.path("version").asInt()).isEqualTo(1);
        assertThat(stored.path("document").toString()).isEqualTo("{\"limit\":7}");

        // Schemas may not reach out: remote references and unknown dialects are refused.
        assertProblem(developer(http, "PUT", app, appSecret, "config/" + key + "/schema",
                "{\"$ref\":\"https://evil.example/schema.json\"}"), 400, "validation");
        // A schema that loops is refused when saved (it answered 204, then 500 with a StackOverflowError on every write).
        assertProblem(developer(http, "PUT", app, appSecret, "config/" + key + "/schema", "{\"$ref\":\"#\"}"), 400, "validation");
        assertProblem(developer(http, "PUT", app, appSecret, "config/" + key + "/schema",
                "{\"$schema\":\"https://evil.example/meta\",\"type\":\"object\"}"), 400, "validation");
        assertThat(developer(http, "DELETE", app, appSecret, "config/" + key + "/schema", null).status()).isEqualTo(204);
        assertThat(user(http, member, "PUT", "v1/config/user/" + key, "{\"theme\":\"purple\"}", null).status()).isEqualTo(200);
    }

    // ---- helpers

    /** Issue 18 items 7 and 10: locks are writes too; a patch creates a document without its nulls; "-5" is no ETag. */
    @Test
    public void locksAreConditionalWritesAndAPatchOfANewDocumentDropsItsNulls() {
        Http http = setUp();
        String key = "strict." + UUID.randomUUID().toString().substring(0, 8);
        assertThat(developer(http, "PUT", strictApp, strictSecret, "config/" + key, "{\"a\":1}").status()).isEqualTo(428);
        assertProblem(developer(http, "PUT", strictApp, strictSecret, "config/" + key + "/locks", "[\"a\"]"), 428, "precondition-required");

        String fresh = "patched." + UUID.randomUUID().toString().substring(0, 8);
        Http.Answer created = http.send(http.request("v1/config/user/" + fresh).header("Authorization", "Bearer " + member.token())
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"a\":null,\"b\":{\"c\":null,\"d\":2},\"e\":1}")).build());
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        JsonNode stored = user(http, member, "GET", "v1/config/user/" + fresh, null, null).json().path("document");
        assertThat(stored.toString()).isEqualTo("{\"b\":{\"d\":2},\"e\":1}");

        assertProblem(user(http, member, "PUT", "v1/config/user/" + fresh, "{\"e\":2}", "\"-5\""), 412, "precondition-failed");
        assertThat(user(http, member, "GET", "v1/config/user/" + fresh, null, null).json().path("document").path("e").asInt())
                .as("a negative version is not *").isEqualTo(1);
    }

    /** Issue 18 item 11: an app's secret cannot make another app's user an admin of another app's organization. */
    @Test
    public void anOrganizationAdminGrantTakesOnlyTheAppsOwnOrganizationAndUser() throws Exception {
        Http http = setUp();
        Session stranger = session(http, strictApp, TENANT); // a user and organization of the other app
        Http.Answer foreign = developer(http, "PUT", app, appSecret, "organizations/" + stranger.orgId() + "/admins/" + stranger.userId(), null);
        assertProblem(foreign, 404, "not-found");
        Http.Answer mixed = developer(http, "PUT", app, appSecret, "organizations/" + admin.orgId() + "/admins/" + stranger.userId(), null);
        assertProblem(mixed, 404, "not-found");
        Http.Answer unknown = developer(http, "PUT", app, appSecret, "organizations/" + UUID.randomUUID() + "/admins/" + UUID.randomUUID(), null);
        assertProblem(unknown, 404, "not-found");
        assertThat(foreign.body()).as("the same answer as for ids that do not exist").isEqualTo(unknown.body().replace(
                unknown.json().path("requestId").asText(), foreign.json().path("requestId").asText()).replace(
                unknown.json().path("instance").asText(), foreign.json().path("instance").asText()));
        try (java.sql.Connection c = service(javax.sql.DataSource.class, null).getConnection();
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM org_admin WHERE user_id = '"
                        + stranger.userId() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no grant row across apps").isZero();
        }
    }

    static Http.Answer user(Http http, Session s, String method, String path, String body, String ifMatch) {
        HttpRequest.Builder b = http.request(path).header("Authorization", "Bearer " + s.token());
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Http.Answer developer(Http http, String method, String appId, String secret, String path, String body) {
        HttpRequest.Builder b = http.request("admin/v1/apps/" + appId + "/" + path);
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
