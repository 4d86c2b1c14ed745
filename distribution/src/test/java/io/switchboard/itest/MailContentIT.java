package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.LargeBodies;
import io.switchboard.testkit.http.FakeServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 16, a message's content through the unified mailbox: an attachment's bytes
 * ({@code …/messages/{id}/attachments/{attachmentId}}; Graph's {@code $value}, Gmail's base64url
 * {@code data} decoded on the way) and the raw RFC 5322 message ({@code ?format=mime}; Graph's
 * {@code $value}, Gmail's {@code format=raw}), as downloads that are never held whole: a client
 * that stops reading stops the provider too.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailContentIT extends ConnectorTestSupport {
    private static final int BIG = 64 * 1024 * 1024;
    private static final int SMALL = 48_213;
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    public void attachmentsAndRawMessagesComeAsDownloadsFromBothProviders() throws Exception {
        Http http = awaitHealthy();
        MailboxProviders providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        for (String provider : new String[] {"microsoft", "google"}) {
            boolean ms = provider.equals("microsoft");
            String user = "content-" + provider + "-" + UUID.randomUUID().toString().substring(0, 6);
            Instant at = Instant.parse("2026-12-01T10:00:00Z");
            String id = ms ? providers.graph.deliver(user, "ann@customer.example", "Contract", "<p>Signed.</p>", at)
                    : providers.gmail.deliver(user, "ann@customer.example", "Contract", "Signed.", "<p>Signed.</p>", at);
            if (ms) {
                providers.graph.attach(user, id, "Vertrag Müller.pdf", "application/pdf", SMALL);
            } else {
                providers.gmail.attach(user, id, "Vertrag Müller.pdf", "application/pdf", SMALL);
            }
            String account = ms ? providers.linkMicrosoft(http, user) : providers.linkGoogle(http, user);
            String attachment = attachmentId(http, providers, account, id);

            HttpResponse<byte[]> pdf = get(http, providers, account + "/messages/" + id + "/attachments/" + attachment, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pdf.statusCode()).as(provider).isEqualTo(200);
            assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
            assertThat(pdf.headers().firstValue("Content-Disposition").orElse(""))
                    .isEqualTo("attachment; filename=\"Vertrag M_ller.pdf\"; filename*=UTF-8''Vertrag%20M%C3%BCller.pdf");
            assertThat(pdf.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(pdf.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
            assertThat(pdf.body()).hasSize(SMALL);
            boolean intact = true;
            for (int i = 0; i < SMALL; i++) {
                intact &= pdf.body()[i] == FakeServer.largeBodyByte(i);
            }
            assertThat(intact).as(provider + ": the attachment's bytes").isTrue();

            HttpResponse<String> mime = get(http, providers, account + "/messages/" + id + "?format=mime", HttpResponse.BodyHandlers.ofString());
            assertThat(mime.statusCode()).as(provider).isEqualTo(200);
            assertThat(mime.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
            assertThat(mime.body()).contains("Subject: Contract").contains("From: ann@customer.example").contains("multipart/mixed")
                    .contains("filename=\"Vertrag Müller.pdf\"");

            HttpResponse<String> unknown = get(http, providers, account + "/messages/" + id + "/attachments/9.9", HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).as(provider + ": " + unknown.body()).isIn(400, 404);
            assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(get(http, providers, account + "/messages/" + id + "?format=pdf", HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(400);
        }
    }

    /**
     * A 64 MiB attachment while the client reads 1 MiB and pauses: what the provider got rid of
     * beyond what the client read stays under 32 MiB (socket buffers and a few chunks; Gmail's
     * base64 counted as the bytes it carries), then the rest arrives whole.
     */
    @Test
    public void aLargeAttachmentStreamsAtTheClientsPaceFromBothProviders() throws Exception {
        Http http = awaitHealthy();
        MailboxProviders providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        for (String provider : new String[] {"microsoft", "google"}) {
            boolean ms = provider.equals("microsoft");
            FakeServer fake = ms ? providers.graph : providers.gmail;
            String user = "large-" + provider + "-" + UUID.randomUUID().toString().substring(0, 6);
            String id = ms ? providers.graph.deliver(user, "ann@customer.example", "Video", "<p>Here.</p>", Instant.now())
                    : providers.gmail.deliver(user, "ann@customer.example", "Video", "Here.", null, Instant.now());
            if (ms) {
                providers.graph.attach(user, id, "video.mp4", "video/mp4", BIG);
            } else {
                providers.gmail.attach(user, id, "video.mp4", "video/mp4", BIG);
            }
            String account = ms ? providers.linkMicrosoft(http, user) : providers.linkGoogle(http, user);
            String attachment = attachmentId(http, providers, account, id);
            long before = fake.largeBytesSent();
            HttpResponse<InputStream> video = get(http, providers, account + "/messages/" + id + "/attachments/" + attachment,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(video.statusCode()).as(provider).isEqualTo(200);
            try (InputStream in = video.body()) {
                LargeBodies body = new LargeBodies();
                long total = body.readUpTo(in, 1024 * 1024);
                long sent = awaitSteady(() -> fake.largeBytesSent() - before, Duration.ofMillis(1500), Duration.ofSeconds(20));
                long carried = ms ? sent : sent * 3 / 4;
                assertThat(carried - total).as(provider + ": bytes the provider got rid of beyond what the client read").isLessThan(32L * 1024 * 1024);
                assertThat(body.readUpTo(in, Long.MAX_VALUE)).as(provider).isEqualTo(BIG);
                assertThat(body.intact()).as(provider).isTrue();
            }
        }
    }

    /**
     * A message sent with attachments arrives with them, byte for byte, on both providers (Graph's
     * file attachments in the request, Gmail's multipart/mixed), and a forward of it carries them;
     * bad attachments are refused before the provider hears of them.
     */
    @Test
    public void aMessageSentWithAttachmentsArrivesWithThemOnBothProviders() throws Exception {
        Http http = awaitHealthy();
        MailboxProviders providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        byte[] pdf = new byte[200_000];
        new java.util.Random(3).nextBytes(pdf);
        String attachments = "[{\"name\":\"Angebot Ü.pdf\",\"contentType\":\"application/pdf\",\"content\":\""
                + java.util.Base64.getEncoder().encodeToString(pdf) + "\"},{\"name\":\"notes.txt\",\"contentType\":\"text/plain\",\"content\":\""
                + java.util.Base64.getEncoder().encodeToString("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}]";
        for (String provider : new String[] {"microsoft", "google"}) {
            boolean ms = provider.equals("microsoft");
            String user = "send-" + provider + "-" + UUID.randomUUID().toString().substring(0, 6);
            String account = ms ? providers.linkMicrosoft(http, user) : providers.linkGoogle(http, user);
            HttpResponse<String> sent = post(http, providers, account + "/messages", "{\"to\":[{\"address\":\"ann@customer.example\"}],"
                    + "\"subject\":\"Offer\",\"text\":\"Attached.\",\"attachments\":" + attachments + "}");
            assertThat(sent.statusCode()).as(provider + ": " + sent.body()).isEqualTo(202);
            String id = ms ? String.valueOf(providers.graph.messagesIn(user, "sentitems").get(0).get("id"))
                    : String.valueOf(providers.gmail.messages(user).stream().filter(m -> String.valueOf(m.get("labelIds")).contains("SENT"))
                            .findFirst().orElseThrow().get("id"));
            HttpResponse<String> message = get(http, providers, account + "/messages/" + id, HttpResponse.BodyHandlers.ofString());
            JsonNode listed = new ObjectMapper().readTree(message.body()).path("attachments");
            assertThat(listed.size()).as(provider + ": " + message.body()).isEqualTo(2);
            for (JsonNode a : listed) {
                HttpResponse<byte[]> bytes = get(http, providers, account + "/messages/" + id + "/attachments/" + a.path("id").asText(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(bytes.statusCode()).isEqualTo(200);
                if (a.path("name").asText().equals("notes.txt")) {
                    assertThat(new String(bytes.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello");
                } else {
                    assertThat(a.path("name").asText()).as(provider).isEqualTo("Angebot Ü.pdf");
                    assertThat(a.path("size").asLong()).isEqualTo(pdf.length);
                    assertThat(bytes.body()).as(provider + ": the file, byte for byte").isEqualTo(pdf);
                }
            }
            // A forward carries the original's files, as mail clients forward.
            HttpResponse<String> forwarded = post(http, providers, account + "/messages/" + id + "/forward",
                    "{\"to\":[{\"address\":\"bob@customer.example\"}],\"text\":\"FYI\"}");
            assertThat(forwarded.statusCode()).as(provider + ": " + forwarded.body()).isEqualTo(202);
            String copy = ms ? String.valueOf(providers.graph.messagesIn(user, "sentitems").stream()
                    .filter(m -> String.valueOf(m.get("subject")).startsWith("FW:")).findFirst().orElseThrow().get("id"))
                    : String.valueOf(providers.gmail.messages(user).stream().filter(m -> String.valueOf(m.get("headers")).contains("Fwd: Offer"))
                            .findFirst().orElseThrow().get("id"));
            JsonNode carried = new ObjectMapper().readTree(get(http, providers, account + "/messages/" + copy, HttpResponse.BodyHandlers.ofString())
                    .body()).path("attachments");
            assertThat(carried.size()).as(provider + ": the forward's files").isEqualTo(2);
            for (JsonNode a : carried) {
                if (a.path("name").asText().endsWith(".pdf")) {
                    assertThat(get(http, providers, account + "/messages/" + copy + "/attachments/" + a.path("id").asText(),
                            HttpResponse.BodyHandlers.ofByteArray()).body()).as(provider + ": the forwarded file").isEqualTo(pdf);
                }
            }

            assertThat(post(http, providers, account + "/messages", "{\"to\":[{\"address\":\"ann@customer.example\"}],\"text\":\"x\","
                    + "\"attachments\":[{\"name\":\"a.pdf\",\"content\":\"not base64!\"}]}").statusCode()).isEqualTo(400);
            assertThat(post(http, providers, account + "/messages", "{\"to\":[{\"address\":\"ann@customer.example\"}],\"text\":\"x\","
                    + "\"attachments\":[{\"name\":\"../etc/passwd\",\"content\":\"aGk=\"}]}").statusCode()).isEqualTo(400);
        }
    }

    /**
     * Files added to a draft go on to the provider as they arrive ({@code POST
     * …/drafts/{id}/attachments}, the file as the body): 20 MiB through Graph's upload session
     * (chunks under 4 MB to the session's own host) and through Gmail's upload endpoint (the draft
     * written again with the file), 100 KB to Graph in one request. Each comes back byte for byte,
     * the sent draft carries them; without Content-Length 411, over the streaming limit 413.
     */
    @Test
    public void filesAddedToADraftStreamToTheProviderOnBothProviders() throws Exception {
        Http http = awaitHealthy();
        MailboxProviders providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        int large = 20 * 1024 * 1024;
        for (String provider : new String[] {"microsoft", "google"}) {
            boolean ms = provider.equals("microsoft");
            String user = "upload-" + provider + "-" + UUID.randomUUID().toString().substring(0, 6);
            String account = ms ? providers.linkMicrosoft(http, user) : providers.linkGoogle(http, user);
            HttpResponse<String> created = post(http, providers, account + "/drafts", "{\"to\":[{\"address\":\"ann@customer.example\"}],"
                    + "\"subject\":\"Contract\",\"text\":\"See the files.\"}");
            assertThat(created.statusCode()).as(provider + ": " + created.body()).isEqualTo(201);
            String draft = new ObjectMapper().readTree(created.body()).path("id").asText();
            String messageId = null;
            for (int size : ms ? new int[] {100_000, large} : new int[] {large}) {
                // Graph's 20 MiB: the client holds back all but its first 8 MiB until the provider has 3 MiB of them
                long before = providers.graph.uploadedBytes();
                java.util.concurrent.atomic.AtomicBoolean ahead = new java.util.concurrent.atomic.AtomicBoolean(!ms || size < large);
                Runnable hold = () -> {
                    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!ahead.get() && System.nanoTime() < end) {
                        ahead.set(providers.graph.uploadedBytes() - before >= 3L * 1024 * 1024);
                        sleep(20);
                    }
                };
                HttpResponse<String> added = upload(http, providers, account + "/drafts/" + draft + "/attachments?name="
                        + java.net.URLEncoder.encode("Vertrag groß " + size + ".pdf", java.nio.charset.StandardCharsets.UTF_8), size, true, hold);
                assertThat(ahead.get()).as(provider + ": the provider had the file's first bytes while the client held the rest back").isTrue();
                assertThat(added.statusCode()).as(provider + ": " + added.body()).isEqualTo(201);
                JsonNode answer = new ObjectMapper().readTree(added.body());
                assertThat(answer.path("attachment").path("name").asText()).isEqualTo("Vertrag groß " + size + ".pdf");
                assertThat(answer.path("attachment").path("size").asLong()).isEqualTo(size);
                messageId = answer.path("draft").path("messageId").asText();
                draft = answer.path("draft").path("id").asText();
                HttpResponse<InputStream> back = get(http, providers, account + "/messages/" + messageId + "/attachments/"
                        + answer.path("attachment").path("id").asText(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(back.statusCode()).isEqualTo(200);
                try (InputStream in = back.body()) {
                    assertThat(sha256(in)).as(provider + ": the file of " + size + " bytes, byte for byte").isEqualTo(sha256(pattern(size)));
                }
            }
            if (ms) {
                assertThat(providers.graph.largestUploadChunk()).as("the upload session's requests").isBetween(3L * 1024 * 1024, 4L * 1024 * 1024 - 1);
            }
            JsonNode listed = new ObjectMapper().readTree(get(http, providers, account + "/messages/" + messageId, HttpResponse.BodyHandlers.ofString())
                    .body()).path("attachments");
            assertThat(listed.size()).as(provider + ": the draft's files").isEqualTo(ms ? 2 : 1);
            HttpResponse<String> sent = post(http, providers, account + "/drafts/" + draft + "/send", "");
            assertThat(sent.statusCode()).as(provider + ": " + sent.body()).isEqualTo(202);
            String sentId = new ObjectMapper().readTree(sent.body()).path("id").asText();
            JsonNode carried = new ObjectMapper().readTree(get(http, providers, account + "/messages/" + sentId, HttpResponse.BodyHandlers.ofString())
                    .body()).path("attachments");
            assertThat(carried.size()).as(provider + ": the sent message carries the files").isEqualTo(ms ? 2 : 1);

            HttpResponse<String> unsized = upload(http, providers, account + "/drafts/" + draft + "/attachments?name=a.pdf", 1000, false, null);
            assertThat(unsized.statusCode()).as(provider + ": " + unsized.body()).isEqualTo(411);
            HttpResponse<String> tooLarge = upload(http, providers, account + "/drafts/" + draft + "/attachments?name=a.pdf", 26_214_401, true, null);
            assertThat(tooLarge.statusCode()).as("over streaming.max.body.bytes").isEqualTo(413);
        }
    }

    /**
     * Posts {@code size} bytes of the large-body pattern as a file, with its Content-Length or
     * ({@code sized} false) chunked; {@code hold}, when given, runs once 8 MiB have been sent.
     */
    private HttpResponse<String> upload(Http http, MailboxProviders providers, String path, long size, boolean sized, Runnable hold)
            throws Exception {
        java.net.http.HttpRequest.BodyPublisher stream = java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> pattern(size, hold));
        return client.send(http.request("v1/mail/" + path).header("Authorization", "Bearer " + providers.app.session())
                .header("Content-Type", "application/pdf").POST(sized ? java.net.http.HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code size} bytes of testkit's large-body pattern, made as they are read. */
    private static InputStream pattern(long size) {
        return pattern(size, null);
    }

    /** The same; {@code hold} runs once when 8 MiB have been read. */
    private static InputStream pattern(long size, Runnable hold) {
        return new InputStream() {
            private long at;
            private boolean held = hold == null;

            @Override
            public int read() {
                return at < size ? FakeServer.largeBodyByte(at++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= size) {
                    return -1;
                }
                if (!held && at >= 8L * 1024 * 1024) {
                    held = true;
                    hold.run();
                }
                int n = (int) Math.min(Math.min(len, size - at), held ? Long.MAX_VALUE : Math.max(1, 8L * 1024 * 1024 - at));
                for (int i = 0; i < n; i++) {
                    b[off + i] = FakeServer.largeBodyByte(at++);
                }
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) >= 0; ) {
            digest.update(buf, 0, n);
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private HttpResponse<String> post(Http http, MailboxProviders providers, String path, String json) throws Exception {
        return client.send(http.request("v1/mail/" + path).header("Authorization", "Bearer " + providers.app.session())
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The message's one attachment, as the message's JSON names it. */
    private String attachmentId(Http http, MailboxProviders providers, String account, String id) throws Exception {
        HttpResponse<String> message = get(http, providers, account + "/messages/" + id, HttpResponse.BodyHandlers.ofString());
        assertThat(message.statusCode()).as(message.body()).isEqualTo(200);
        JsonNode attachments = new ObjectMapper().readTree(message.body()).path("attachments");
        assertThat(attachments.size()).isEqualTo(1);
        return attachments.get(0).path("id").asText();
    }

    private <T> HttpResponse<T> get(Http http, MailboxProviders providers, String path, HttpResponse.BodyHandler<T> body) throws Exception {
        return client.send(http.request("v1/mail/" + path).header("Authorization", "Bearer " + providers.app.session()).GET().build(), body);
    }
}
