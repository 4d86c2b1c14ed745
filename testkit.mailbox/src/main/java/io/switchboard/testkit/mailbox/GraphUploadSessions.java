package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files added to a message on {@link FakeGraph}, as Graph takes them. {@code POST
 * messages/{id}/attachments} adds one file attachment sent whole (201 with it; the request is
 * at most 4 MB, base64 included). Larger files go through an upload session:
 * {@code POST messages/{id}/attachments/createUploadSession} with
 * {@code {"AttachmentItem":{"attachmentType":"file","name","size"}}} answers 201
 * {@code {uploadUrl, expirationDateTime, nextExpectedRanges:["0-"]}}, the {@code uploadUrl} on
 * another host (this server's own port, as Graph's is {@code outlook.office.com}) and
 * pre-authenticated. Each {@code PUT} to it carries the next bytes in order with their
 * {@code Content-Range}, under 4 MB, and no {@code Authorization} header (Graph answers 401 to
 * one); a range that is not the next expected is 416; the last answers 201 with the
 * attachment's address in {@code Location} and no body, the others 200 with the next expected range.
 */
final class GraphUploadSessions extends FakeServer {
    static final long MAX_CHUNK = 4L * 1024 * 1024;
    static final long LARGEST = 150L * 1024 * 1024;
    private static final Pattern SESSION = Pattern.compile("/api/v2\\.0/Users\\('([^']+)'\\)/Messages\\('([^']+)'\\)/AttachmentSessions\\('([^']+)'\\)");
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private record Session(GraphMailbox box, GraphMailbox.Message message, String name, String contentType, long size, String authToken,
                           ByteArrayOutputStream received) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile long largestChunk;
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

    GraphUploadSessions() {
        route("PUT", "/api/v2.0/", this::put);
    }

    /** The bytes all sessions have taken so far. */
    long received() {
        return received.get();
    }

    /** The most bytes one PUT of a session carried so far. */
    long largestChunk() {
        return largestChunk;
    }

    /** {@code POST messages/{id}/attachments}: one file attachment, sent whole. */
    static FakeResponse single(FakeRequest req, GraphMailbox box, GraphMailbox.Message m) {
        Map<String, Object> item = req.jsonObject();
        if (item == null) {
            return FakeGraph.error(400, "RequestBodyRead", "Cannot read the request body.");
        }
        synchronized (box) {
            FakeResponse refused = GraphContent.attach(m, Map.of("attachments", List.of(item)));
            if (refused != null) {
                return refused;
            }
            Map<String, Object> out = new LinkedHashMap<>(m.attachments.get(m.attachments.size() - 1));
            out.remove("contentBytes");
            return FakeResponse.json(201, Json.write(out));
        }
    }

    /** {@code POST messages/{id}/attachments/createUploadSession}. */
    FakeResponse create(FakeRequest req, String subject, GraphMailbox box, GraphMailbox.Message m) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || !(body.get("AttachmentItem") instanceof Map<?, ?> item) || !"file".equals(item.get("attachmentType"))
                || !(item.get("name") instanceof String name) || !(item.get("size") instanceof Number size)) {
            return FakeGraph.error(400, "ErrorInvalidRequest", "AttachmentItem needs attachmentType 'file', name and size.");
        }
        if (size.longValue() <= 0 || size.longValue() > LARGEST) {
            return FakeGraph.error(400, "ErrorAttachmentSizeLimitExceeded", "The attachment size exceeds the limit of 150 MB.");
        }
        String token = UUID.randomUUID().toString();
        String authToken = UUID.randomUUID().toString().replace("-", "");
        sessions.put(token, new Session(box, m, name, item.get("contentType") instanceof String type ? type : "application/octet-stream",
                size.longValue(), authToken, new ByteArrayOutputStream()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession");
        out.put("uploadUrl", baseUri() + "/api/v2.0/Users('" + FakeMicrosoftLogin.objectId(subject) + "')/Messages('" + m.immutableId
                + "')/AttachmentSessions('" + token + "')?authtoken=" + authToken);
        out.put("expirationDateTime", Instant.now().plusSeconds(6 * 3600).toString());
        out.put("nextExpectedRanges", List.of("0-"));
        return FakeResponse.json(201, Json.write(out));
    }

    private FakeResponse put(FakeRequest req) {
        Matcher path = SESSION.matcher(req.path());
        Session s = path.matches() ? sessions.get(path.group(3)) : null;
        if (s == null || !("authtoken=" + s.authToken()).equals(req.query())) {
            return FakeGraph.error(404, "ErrorItemNotFound", "The upload session was not found or has expired.");
        }
        if (req.header("Authorization") != null) { // the address is the authorization: a bearer token as well is refused
            return FakeGraph.error(401, "InvalidAudience", "The audience claim value is invalid for current resource.");
        }
        Matcher range = RANGE.matcher(String.valueOf(req.header("Content-Range")));
        byte[] bytes = req.body() == null ? new byte[0] : req.body();
        synchronized (s) {
            long next = s.received().size();
            if (!range.matches() || Long.parseLong(range.group(1)) != next || Long.parseLong(range.group(3)) != s.size()
                    || Long.parseLong(range.group(2)) - next + 1 != bytes.length || Long.parseLong(range.group(2)) >= s.size()) {
                return FakeGraph.error(416, "InvalidRange", "The Content-Range does not follow the bytes received (next expected: " + next + ").");
            }
            if (bytes.length >= MAX_CHUNK) {
                return FakeGraph.error(413, "RequestEntityTooLarge", "Each request of an upload session must be under 4 MB.");
            }
            largestChunk = Math.max(largestChunk, bytes.length);
            s.received().write(bytes, 0, bytes.length);
            received.addAndGet(bytes.length);
            if (s.received().size() < s.size()) {
                return FakeResponse.json(200, Json.write(Map.of("expirationDateTime", Instant.now().plusSeconds(6 * 3600).toString(),
                        "nextExpectedRanges", List.of(String.valueOf(s.received().size())))));
            }
            sessions.remove(path.group(3));
            String id;
            synchronized (s.box()) {
                id = GraphContent.store(s.message(), s.name(), s.contentType(), Base64.getEncoder().encodeToString(s.received().toByteArray()),
                        s.received().size(), false);
            }
            return FakeResponse.empty(201).withHeader("Location", baseUri() + "/api/v2.0/Users('" + path.group(1) + "')/Messages('"
                    + path.group(2) + "')/Attachments('" + id + "')");
        }
    }
}
