import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares a running Switchboard for bench/proxy.sh: a generic connector whose API is the
 * upstream under test, an app, a signed-in user with a linked account. Writes the session token
 * and the account id next to {@code <out-dir>}, then keeps the identity and OAuth fakes alive
 * until it is killed.
 *   java -cp <testkit+nimbus> bench/ProxyBench.java <base-url> <admin-token> <etc-dir> <upstream-url> <out-dir>
 */
public class ProxyBench {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String admin = args[1];
        Path etc = Path.of(args[2]);
        String upstream = args[3];
        Path out = Path.of(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String tenant = "11111111-2222-3333-4444-555555555555";
        FakeEntraId entra = new FakeEntraId();
        FakeOAuthProvider oauth = new FakeOAuthProvider("bench-client", "bench-secret");
        oauth.accessTokenLifetime(java.time.Duration.ofHours(2));
        oauth.registerRedirectUri(base.resolve("/v1/connect/callback").toString());
        Files.writeString(etc.resolve("switchboard.connector.generic-bench.cfg"), String.join("\n",
                "connector.id=bench", "authorization.url=" + oauth.authorizeUrl(), "token.url=" + oauth.tokenUrl(),
                "userinfo.url=" + oauth.baseUri() + "/userinfo", "api.base.url=" + upstream, ""));
        String app = "{\"name\":\"bench\",\"settings\":{\"identity\":{\"entra\":{\"audiences\":[\"api://bench\"],"
                + "\"tenants\":[\"" + tenant + "\"],\"authority\":\"" + entra.authority() + "\"}}}}";
        String created = send(http, base, "POST", "/admin/v1/apps", admin, app, 201);
        String appId = field(created, "id");
        String secret = field(created, "secret");
        for (int i = 0; ; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/admin/v1/apps/" + appId + "/connectors/bench"))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"bench-client\",\"clientSecret\":\"bench-secret\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                break;
            }
            if (i > 100) {
                throw new IllegalStateException("the bench connector did not come up");
            }
            Thread.sleep(200);
        }
        String identity = entra.sign(entra.accessTokenV2(tenant, UUID.randomUUID().toString(), "api://bench", "x").build());
        String session = field(send(http, base, "POST", "/v1/sessions", null,
                "{\"app\":\"" + appId + "\",\"token\":\"" + identity + "\"}", 200), "accessToken");
        String ticket = null;
        for (int i = 0; ticket == null; i++) { // FileInstall picks the connector file up within a few seconds
            HttpResponse<String> t = http.send(HttpRequest.newBuilder(base.resolve("/v1/connect/bench/tickets"))
                    .header("Authorization", "Bearer " + session).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (t.statusCode() == 200) {
                ticket = field(t.body(), "ticket");
            } else if (i > 150) {
                throw new IllegalStateException("the bench connector did not come up: " + t.body());
            } else {
                Thread.sleep(200);
            }
        }
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(base.resolve("/v1/connect/bench/start?ticket=" + ticket)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> consent = http.send(HttpRequest.newBuilder(URI.create(start.headers().firstValue("Location").orElseThrow()))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(consent.headers().firstValue("Location").orElseThrow()))
                .header("Cookie", start.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"accountId\":\"([0-9a-f-]{36})\"").matcher(done.body());
        if (!m.find()) {
            throw new IllegalStateException("linking failed: " + done.body());
        }
        Files.writeString(out.resolve("session"), session);
        Files.writeString(out.resolve("account"), m.group(1));
        Files.writeString(out.resolve("ready"), "ok");
        Thread.sleep(Long.MAX_VALUE);
    }

    static String send(HttpClient http, URI base, String method, String path, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
