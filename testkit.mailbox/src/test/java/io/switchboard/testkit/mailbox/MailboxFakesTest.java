package io.switchboard.testkit.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The facts of Microsoft's login and Graph mail that the fakes reproduce, each of which a naive
 * client gets wrong: no refresh token without {@code offline_access}, the id token naming tenant
 * and object, Graph's {@code mail} that can be {@code null}, its 401 shape; pages of ten with
 * absolute links, default ids that change on a move, 202 with no body for sends; content with or
 * without its bytes; delta rounds with empty and repeated pages and forgotten tokens.
 */
class MailboxFakesTest {
    private static final String REDIRECT = "https://switchboard.example/v1/connect/callback";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void microsoftIssuesARefreshTokenOnlyForOfflineAccessAndNamesTenantAndObjectInTheIdToken() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            login.registerRedirectUri(REDIRECT);
            login.signedInUser("adele");
            Map<String, Object> online = exchange(login, "ms", "secret", "scope=openid%20User.Read%20Mail.Read");
            assertThat(online).containsKey("access_token").containsKey("id_token").doesNotContainKey("refresh_token");
            JWTClaimsSet id = SignedJWT.parse((String) online.get("id_token")).getJWTClaimsSet();
            assertThat(id.getStringClaim("tid")).isEqualTo(FakeMicrosoftLogin.TENANT);
            assertThat(id.getStringClaim("oid")).isEqualTo(FakeMicrosoftLogin.objectId("adele"));
            assertThat(id.getAudience()).containsExactly("ms");

            Map<String, Object> offline = exchange(login, "ms", "secret", "scope=offline_access%20User.Read");
            assertThat(offline).containsKey("refresh_token").doesNotContainKey("id_token");

            HttpResponse<String> me = get(graph.baseUri() + "/v1.0/me?$select=id,mail,userPrincipalName", (String) offline.get("access_token"));
            assertThat(me.statusCode()).isEqualTo(200);
            Map<String, Object> user = JSONObjectUtils.parse(me.body());
            assertThat(user).containsEntry("id", FakeMicrosoftLogin.objectId("adele")).containsEntry("mail", "adele@contoso.example")
                    .doesNotContainKey("displayName");
            graph.withoutMail("adele");
            assertThat(JSONObjectUtils.parse(get(graph.baseUri() + "/v1.0/me", (String) offline.get("access_token")).body()))
                    .containsEntry("mail", null).containsEntry("userPrincipalName", "adele@contoso.example");

            HttpResponse<String> anonymous = get(graph.baseUri() + "/v1.0/me", "not-a-token");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"code\":\"InvalidAuthenticationToken\"").contains("\"request-id\"");
        }
    }

    @Test
    void graphPagesByTenWithAbsoluteNextLinksChangesDefaultIdsOnAMoveAndAnswersSendsWith202AndNoBody() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            String token = login.accessTokenFor("adele");
            for (int i = 0; i < 12; i++) {
                graph.deliver("adele", "ann@customer.example", "m" + i, "<p>" + i + "</p>", java.time.Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i));
            }
            Map<String, Object> first = JSONObjectUtils.parse(get(graph.baseUri() + "/v1.0/me/mailFolders/inbox/messages", token).body());
            assertThat((java.util.List<?>) first.get("value")).hasSize(10);
            String next = (String) first.get("@odata.nextLink");
            assertThat(next).startsWith(graph.baseUri() + "/v1.0/me/mailFolders/inbox/messages?");
            assertThat((java.util.List<?>) JSONObjectUtils.parse(get(next, token).body()).get("value")).hasSize(2);

            String immutable = graph.deliver("adele", "bob@customer.example", "moving", "<p>m</p>", java.time.Instant.now());
            String restId = restIdOf(graph, token, "inbox");
            graph.move("adele", immutable, "archive");
            assertThat(restIdOf(graph, token, "archive")).as("a default id changes when the message moves").isNotEqualTo(restId);
            HttpResponse<String> byImmutable = http.send(HttpRequest.newBuilder(URI.create(graph.baseUri() + "/v1.0/me/mailFolders/archive/messages"))
                    .header("Authorization", "Bearer " + token).header("Prefer", "IdType=\"ImmutableId\"").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byImmutable.body()).contains("\"id\":\"" + immutable + "\"");

            HttpResponse<String> sent = post(graph.baseUri() + "/v1.0/me/sendMail", token, "{\"message\":{\"subject\":\"Hi\",\"body\":"
                    + "{\"contentType\":\"Text\",\"content\":\"x\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"a@b.example\"}}]}}");
            assertThat(sent.statusCode()).isEqualTo(202);
            assertThat(sent.body()).isEmpty();
            HttpResponse<String> both = post(graph.baseUri() + "/v1.0/me/messages/" + immutable + "/reply", token,
                    "{\"comment\":\"a\",\"message\":{\"body\":{\"contentType\":\"Text\",\"content\":\"b\"}}}");
            assertThat(both.statusCode()).as("comment and message.body together").isEqualTo(400);
        }
    }

    private String restIdOf(FakeGraph graph, String token, String folder) throws Exception {
        String body = get(graph.baseUri() + "/v1.0/me/mailFolders/" + folder + "/messages?$select=subject&$filter="
                + URLEncoder.encode("from/emailAddress/address eq 'bob@customer.example'", StandardCharsets.UTF_8), token).body();
        return String.valueOf(((Map<?, ?>) ((java.util.List<?>) JSONObjectUtils.parse(body).get("value")).get(0)).get("id"));
    }

    /**
     * Graph's attachment with {@code contentBytes} unless {@code $select} leaves them out, its
     * bytes at {@code $value}, and the message's MIME at {@code $value}.
     */
    @Test
    void graphHandsOutAttachmentsWithOrWithoutTheirBytesAndTheMessagesMime() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            String ms = login.accessTokenFor("ann");
            String id = graph.deliver("ann", "bob@example.com", "Files", "<p>Here</p>", java.time.Instant.now());
            graph.attach("ann", id, "a.bin", "application/octet-stream", 1000);
            String att = graph.baseUri() + "/v1.0/me/messages/" + id + "/attachments/AAMkAtt0";
            assertThat(get(att, ms).body()).contains("contentBytes");
            assertThat(get(att + "?$select=name,size", ms).body()).doesNotContain("contentBytes").contains("a.bin");
            HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(URI.create(att + "/%24value")).header("Authorization", "Bearer " + ms).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.body()).hasSize(1000);
            assertThat(bytes.body()[999]).isEqualTo(io.switchboard.testkit.http.FakeServer.largeBodyByte(999));
            assertThat(get(graph.baseUri() + "/v1.0/me/messages/" + id + "/$value", ms).body()).contains("Subject: Files").contains("a.bin");
        }
    }

    /**
     * Graph's upload sessions, as a naive client gets them wrong: the address is on another host
     * and takes no bearer token (401 with one), bytes come in order (416 otherwise), each request
     * under 4 MB (413), and only the last answers 201 with the attachment's address in Location.
     */
    @Test
    void graphUploadSessionsLieOnAnotherHostTakeNoTokenAndBytesInOrder() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            String ms = login.accessTokenFor("ann");
            String id = graph.deliver("ann", "bob@example.com", "Draft", "<p>x</p>", java.time.Instant.now());
            int size = 5 * 1024 * 1024;
            HttpResponse<String> created = post(graph.baseUri() + "/v1.0/me/messages/" + id + "/attachments/createUploadSession", ms,
                    "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"big.bin\",\"size\":" + size + "}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String url = (String) JSONObjectUtils.parse(created.body()).get("uploadUrl");
            assertThat(URI.create(url).getPort()).as("another host").isNotEqualTo(graph.port()).isEqualTo(Integer.parseInt(graph.uploadHost().split(":")[1]));
            byte[] bytes = io.switchboard.testkit.http.FakeServer.largeBodyBytes(size);
            int half = size / 2;
            assertThat(put(url, bytes, 0, 3 * 1024 * 1024, size, ms).statusCode()).as("with a bearer token").isEqualTo(401);
            assertThat(put(url, bytes, 1024, 3 * 1024 * 1024, size, null).statusCode()).as("not the next bytes").isEqualTo(416);
            assertThat(put(url, bytes, 0, 4 * 1024 * 1024, size, null).statusCode()).as("4 MB in one request").isEqualTo(413);
            HttpResponse<String> first = put(url, bytes, 0, half, size, null);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("\"nextExpectedRanges\":[\"" + half + "\"]");
            HttpResponse<String> last = put(url, bytes, half, size - half, size, null);
            assertThat(last.statusCode()).isEqualTo(201);
            assertThat(last.headers().firstValue("Location").orElse("")).contains("/Attachments('AAMkAtt0')");
            HttpResponse<byte[]> stored = http.send(HttpRequest.newBuilder(URI.create(graph.baseUri() + "/v1.0/me/messages/" + id
                    + "/attachments/AAMkAtt0/%24value")).header("Authorization", "Bearer " + ms).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(stored.body()).isEqualTo(bytes);
            assertThat(put(url, bytes, 0, half, size, null).statusCode()).as("a finished session").isEqualTo(404);
        }
    }

    private HttpResponse<String> put(String url, byte[] bytes, int from, int length, int size, String token) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(url)).header("Content-Range", "bytes " + from + "-" + (from + length - 1)
                + "/" + size).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, from, length));
        if (token != null) {
            put.header("Authorization", "Bearer " + token);
        }
        return http.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Graph's delta, as a naive client gets it wrong: the first page of a round is empty but not
     * the last (only the deltaLink ends a round), a page repeats the last record of the one before,
     * a message moved away is {@code @removed} from its old folder, a forgotten token is 410, and
     * a skip token serves one request (a client that kept a {@code nextLink} across a crash must
     * start the round again).
     */
    @Test
    void graphDeltaHasEmptyAndRepeatedPagesRemovesMovedMessagesAndForgetsTokens() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            login.registerRedirectUri(REDIRECT);
            login.signedInUser("dora");
            String token = (String) exchange(login, "ms", "secret", "scope=offline_access%20Mail.Read").get("access_token");
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(graph.deliver("dora", "x@example.com", "M" + i, "<p>" + i + "</p>", java.time.Instant.now()));
            }
            String link = graph.baseUri() + "/v1.0/me/mailFolders/inbox/messages/delta?$select=subject";
            java.util.List<Object> seen = new java.util.ArrayList<>();
            Map<String, Object> page = delta(link, token, 2);
            assertThat((java.util.List<?>) page.get("value")).as("an empty first page").isEmpty();
            assertThat(page).containsKey("@odata.nextLink").doesNotContainKey("@odata.deltaLink");
            String used = (String) delta(link, token, 2).get("@odata.nextLink");
            delta(used, token, 2);
            HttpResponse<String> again = get(used, token, "IdType=\"ImmutableId\", odata.maxpagesize=2");
            assertThat(again.statusCode()).as("a skip token used before").isEqualTo(400);
            assertThat(again.body()).contains("ErrorInvalidParameter");
            while (page.containsKey("@odata.nextLink")) {
                page = delta((String) page.get("@odata.nextLink"), token, 2);
                ((java.util.List<?>) page.get("value")).forEach(m -> seen.add(((Map<?, ?>) m).get("id")));
            }
            assertThat(seen).as("the last record of a page comes again").hasSize(4).containsAll(ids);
            String deltaLink = (String) page.get("@odata.deltaLink");

            graph.move("dora", ids.get(0), "archive");
            Map<String, Object> changes = delta((String) delta(deltaLink, token, 10).get("@odata.nextLink"), token, 10);
            assertThat(String.valueOf(changes.get("value"))).contains(ids.get(0)).contains("@removed");

            graph.forgetDeltaTokens("dora");
            HttpResponse<String> gone = get((String) changes.get("@odata.deltaLink"), token, "IdType=\"ImmutableId\"");
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.body()).contains("syncStateNotFound");
        }
    }

    private Map<String, Object> delta(String url, String token, int pageSize) throws Exception {
        HttpResponse<String> answer = get(url, token, "IdType=\"ImmutableId\", odata.maxpagesize=" + pageSize);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSONObjectUtils.parse(answer.body());
    }

    private HttpResponse<String> get(String url, String token, String prefer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replace("$", "%24"))).header("Authorization", "Bearer " + token);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The authorization request with {@code extra} (the browser's part), then the code exchanged for tokens. */
    private Map<String, Object> exchange(FakeOAuthProvider provider, String client, String secret, String extra) throws Exception {
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(provider.authorizeUrl() + "?response_type=code&client_id="
                + client + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=s&" + extra)).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = authorize.headers().firstValue("Location").orElseThrow();
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        return token(provider, "grant_type=authorization_code&client_id=" + client + "&client_secret=" + secret + "&code=" + code
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
    }

    private Map<String, Object> token(FakeOAuthProvider provider, String form) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(provider.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSONObjectUtils.parse(answer.body());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return get(url, token, null);
    }
}
