package io.switchboard.testkit.gmail;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
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
 * The facts of Gmail that the fake reproduces, each of which a naive client gets wrong: no refresh
 * token without {@code access_type=offline}, none at a second consent without
 * {@code prompt=consent}, a refresh without a new refresh token; lists of ids only, int64 values as
 * strings, a thread joined only with the threading headers and the subject; part ids as paths,
 * base64url content; history strictly after an id, trash as a label, forgotten history ids.
 */
class GmailFakesTest {
    private static final String REDIRECT = "https://switchboard.example/v1/connect/callback";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void googleIssuesARefreshTokenOnlyOfflineAndAtAFirstConsentUnlessConsentIsAskedAgain() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            google.registerRedirectUri(REDIRECT);
            google.signedInUser("sam");
            assertThat(exchange(google, "g", "secret", "scope=openid%20email")).doesNotContainKey("refresh_token");
            Map<String, Object> first = exchange(google, "g", "secret", "scope=openid%20email&access_type=offline");
            assertThat(first).containsKey("refresh_token");
            assertThat(exchange(google, "g", "secret", "scope=openid%20email&access_type=offline"))
                    .as("a user who consented before gets no second refresh token").doesNotContainKey("refresh_token");
            assertThat(exchange(google, "g", "secret", "scope=openid%20email&access_type=offline&prompt=consent")).containsKey("refresh_token");

            Map<String, Object> refreshed = token(google, "grant_type=refresh_token&client_id=g&client_secret=secret&refresh_token="
                    + first.get("refresh_token"));
            assertThat(refreshed).containsKey("access_token").doesNotContainKey("refresh_token");

            HttpResponse<String> profile = get(gmail.baseUri() + "/gmail/v1/users/me/profile", (String) refreshed.get("access_token"));
            assertThat(JSONObjectUtils.parse(profile.body())).containsEntry("emailAddress", "sam@provider.example")
                    .hasEntrySatisfying("historyId", h -> assertThat(h).asString().matches("\\d+")); // an int64 as a string
            HttpResponse<String> anonymous = get(gmail.baseUri() + "/gmail/v1/users/me/profile", "nope");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"status\":\"UNAUTHENTICATED\"").contains("\"reason\":\"authError\"");
        }
    }

    @Test
    void gmailListsIdsOnlyWritesInt64AsStringsAndJoinsAThreadOnlyWithHeadersAndTheSubject() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            String token = google.accessTokenFor("sam");
            Map<String, Object> empty = JSONObjectUtils.parse(get(gmail.baseUri() + "/gmail/v1/users/me/messages", token).body());
            assertThat(empty).containsOnlyKeys("resultSizeEstimate");
            String id = gmail.deliver("sam", "ann@customer.example", "Pricing", "How much?", null, java.time.Instant.now());
            Map<String, Object> list = JSONObjectUtils.parse(get(gmail.baseUri() + "/gmail/v1/users/me/messages", token).body());
            assertThat(new java.util.TreeSet<Object>(((Map<?, ?>) ((java.util.List<?>) list.get("messages")).get(0)).keySet()).toString())
                    .isEqualTo("[id, threadId]");
            Map<String, Object> message = JSONObjectUtils.parse(get(gmail.baseUri() + "/gmail/v1/users/me/messages/" + id, token).body());
            assertThat(message.get("internalDate")).isInstanceOf(String.class);
            assertThat(message.get("historyId")).isInstanceOf(String.class);
            String messageId = "<" + id + "@mail.example>";

            String noHeaders = send(gmail, token, "To: ann@customer.example\r\nSubject: Re: Pricing\r\n\r\nIt is 42.", id);
            String otherSubject = send(gmail, token, "To: ann@customer.example\r\nSubject: Something else\r\nIn-Reply-To: " + messageId
                    + "\r\nReferences: " + messageId + "\r\n\r\nIt is 42.", id);
            String joined = send(gmail, token, "To: ann@customer.example\r\nSubject: Re: Pricing\r\nIn-Reply-To: " + messageId
                    + "\r\nReferences: " + messageId + "\r\n\r\nIt is 42.", id);
            assertThat(noHeaders).as("threadId alone does not join").isNotEqualTo(id);
            assertThat(otherSubject).as("another subject does not join").isNotEqualTo(id);
            assertThat(joined).isEqualTo(id);
        }
    }

    /**
     * Gmail's part ids are paths in the tree (unique), an attachment's {@code data} comes in
     * padded base64url, and {@code format=raw} is the RFC 5322 text in base64url.
     */
    @Test
    void gmailPartIdsArePathsAttachmentsComeInPaddedBase64UrlAndRawIsTheMessage() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            String g = google.accessTokenFor("sue");
            String mid = gmail.deliver("sue", "bob@example.com", "Files", "Here", "<p>Here</p>", java.time.Instant.now());
            gmail.attach("sue", mid, "a.bin", "application/octet-stream", 1000);
            String api = gmail.baseUri() + "/gmail/v1/users/me/messages/" + mid;
            Map<String, Object> full = JSONObjectUtils.parse(get(api + "?format=full", g).body());
            String tree = String.valueOf(full.get("payload"));
            assertThat(tree).contains("partId=0.0").contains("partId=0.1").contains("partId=1");
            String attachmentId = tree.replaceAll("(?s).*attachmentId=([A-Za-z0-9_-]+).*", "$1");
            String data = (String) JSONObjectUtils.parse(get(api + "/attachments/" + attachmentId, g).body()).get("data");
            assertThat(data).endsWith("=");
            assertThat(java.util.Base64.getUrlDecoder().decode(data)).hasSize(1000);
            String raw = (String) JSONObjectUtils.parse(get(api + "?format=raw", g).body()).get("raw");
            assertThat(new String(java.util.Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8)).contains("Subject: Files").contains("a.bin");
        }
    }

    /** Sends a raw message with a threadId; returns the thread Gmail put it in. */
    /**
     * A draft written again through the upload endpoint: {@code uploadType=media} only here, the
     * body a {@code message/rfc822} message (400 for another type), at most 35 MB (413); the draft
     * then holds a new message with the upload's files, nested multiparts included.
     */
    @Test
    void gmailTakesADraftsNewMessageThroughTheUploadEndpoint() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            String token = google.accessTokenFor("sam");
            String raw = java.util.Base64.getUrlEncoder().encodeToString("To: a@b.example\r\nSubject: D\r\n\r\nHi".getBytes(StandardCharsets.UTF_8));
            Map<String, Object> draft = JSONObjectUtils.parse(post(gmail.baseUri() + "/gmail/v1/users/me/drafts", token,
                    "{\"message\":{\"raw\":\"" + raw + "\"}}").body());
            String url = gmail.baseUri() + "/upload/gmail/v1/users/me/drafts/" + draft.get("id");
            String mime = "To: a@b.example\r\nSubject: D\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n--o\r\n"
                    + "Content-Type: multipart/alternative; boundary=\"i\"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nHi\r\n--i--\r\n--o\r\n"
                    + "Content-Type: application/pdf; name=\"f.pdf\"\r\nContent-Disposition: attachment; filename=\"f.pdf\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--o--\r\n";
            assertThat(upload(url + "?uploadType=multipart", token, "message/rfc822", mime.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(upload(url + "?uploadType=media", token, "application/json", mime.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(upload(url + "?uploadType=media", token, "message/rfc822", new byte[36_700_161]).statusCode()).isEqualTo(413);
            HttpResponse<String> updated = upload(url + "?uploadType=media", token, "message/rfc822", mime.getBytes(StandardCharsets.UTF_8));
            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
            Map<?, ?> message = (Map<?, ?>) JSONObjectUtils.parse(updated.body()).get("message");
            assertThat(message.get("id")).as("a new message").isNotEqualTo(((Map<?, ?>) draft.get("message")).get("id"));
            assertThat(get(gmail.baseUri() + "/gmail/v1/users/me/messages/" + message.get("id") + "?format=full", token).body())
                    .contains("\"filename\":\"f.pdf\"");
        }
    }

    private HttpResponse<String> upload(String url, String token, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String send(FakeGmail gmail, String token, String mime, String threadId) throws Exception {
        String raw = java.util.Base64.getUrlEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post(gmail.baseUri() + "/gmail/v1/users/me/messages/send", token,
                "{\"raw\":\"" + raw + "\",\"threadId\":\"" + threadId + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return String.valueOf(JSONObjectUtils.parse(r.body()).get("threadId"));
    }

    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Gmail's history: changes strictly after the id, messages named by id only, trashing as
     * {@code labelsAdded TRASH}, no change as only a new {@code historyId}, a forgotten id 404.
     */
    @Test
    void gmailHistoryNamesMessagesByIdOnlyShowsTrashAsALabelAndForgetsOldIds() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            google.registerRedirectUri(REDIRECT);
            google.signedInUser("eve");
            String token = (String) exchange(google, "g", "secret", "scope=openid%20email").get("access_token");
            String api = gmail.baseUri() + "/gmail/v1/users/me/";
            String start = (String) JSONObjectUtils.parse(get(api + "profile", token).body()).get("historyId");
            String id = gmail.deliver("eve", "x@example.com", "Hi", "Hi", null, java.time.Instant.now());
            Map<String, Object> added = JSONObjectUtils.parse(get(api + "history?startHistoryId=" + start, token).body());
            assertThat(String.valueOf(added.get("history"))).contains("messagesAdded").contains(id).doesNotContain("labelIds")
                    .doesNotContain("snippet");
            assertThat(Long.parseLong((String) added.get("historyId"))).isGreaterThan(Long.parseLong(start));
            gmail.labelMessage("eve", id, "TRASH", true);
            Map<String, Object> history = JSONObjectUtils.parse(get(api + "history?startHistoryId=" + added.get("historyId"), token).body());
            assertThat(String.valueOf(history.get("history"))).contains("labelsAdded").contains("TRASH").doesNotContain("messagesDeleted");
            Map<String, Object> quiet = JSONObjectUtils.parse(get(api + "history?startHistoryId=" + history.get("historyId"), token).body());
            assertThat(quiet).containsKey("historyId").doesNotContainKey("history");

            gmail.forgetHistory("eve");
            assertThat(get(api + "history?startHistoryId=" + quiet.get("historyId"), token).statusCode()).isEqualTo(404);
        }
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
