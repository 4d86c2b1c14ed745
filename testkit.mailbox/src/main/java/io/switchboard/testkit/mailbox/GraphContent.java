package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.mime.MimeWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message's content on {@link FakeGraph}: {@code GET messages/{id}/attachments/{id}} (the
 * attachment with its {@code contentBytes} in base64 unless {@code $select} leaves them out),
 * {@code .../attachments/{id}/$value} (its bytes, streamed: the {@link FakeServer#largeBody}
 * pattern of its size, or the bytes it was sent with) and {@code messages/{id}/$value} (the
 * message's MIME content); and the file attachments a sent message or a draft carries.
 */
final class GraphContent {
    private GraphContent() {
    }

    /**
     * Whether the request, its path after {@code /me/} being {@code messages/{id}/...}, is for
     * content this serves: a read of it, or a file added ({@link GraphUploadSessions}).
     */
    static boolean handles(String method, List<String> s) {
        if (method.equals("POST")) {
            return s.size() == 3 && s.get(2).equals("attachments") || s.size() == 4 && s.get(2).equals("attachments")
                    && s.get(3).equals("createUploadSession");
        }
        return method.equals("GET") && (s.size() == 3 && s.get(2).equals("$value") || s.size() >= 4 && s.size() <= 5
                && s.get(2).equals("attachments"));
    }

    /** @param s the decoded path segments after {@code /me/} */
    static FakeResponse handle(FakeRequest req, String subject, GraphMailbox box, GraphMailbox.Message m, List<String> s,
                               GraphUploadSessions uploads) {
        if (req.method().equals("POST")) {
            return s.size() == 3 ? GraphUploadSessions.single(req, box, m) : uploads.create(req, subject, box, m);
        }
        if (s.size() == 3) {
            return FakeResponse.of(200, "text/plain", new String(mime(m), java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, Object> a = m.attachments.stream().filter(x -> x.get("id").equals(s.get(3))).findFirst().orElse(null);
        if (a == null) {
            return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
        }
        int size = ((Number) a.get("size")).intValue();
        if (s.size() == 5 && a.get("contentBytes") instanceof String stored) {
            byte[] bytes = Base64.getDecoder().decode(stored);
            return FakeResponse.streamed(200, String.valueOf(a.get("contentType")), bytes.length, out -> out.write(bytes));
        }
        if (s.size() == 5) {
            return s.get(4).equals("$value") ? FakeResponse.streamed(200, String.valueOf(a.get("contentType")), size,
                    out -> FakeServer.writeLargeBody(out, 0, size))
                    : FakeGraph.error(400, "BadRequest", "Resource not found for the segment '" + s.get(4) + "'.");
        }
        Map<String, Object> out = new LinkedHashMap<>(a);
        String select = req.queryParams().get("$select");
        if (select != null) {
            out.keySet().retainAll(List.of((select + ",@odata.type").split(",")));
        } else if (!out.containsKey("contentBytes")) {
            out.put("contentBytes", Base64.getEncoder().encodeToString(FakeServer.largeBodyBytes(size)));
        }
        return FakeResponse.json(200, Json.write(out));
    }

    /**
     * The file attachments a message JSON carries ({@code contentBytes} in base64), added to the
     * message; Graph's refusal when one is not a file attachment, has no name or content, or the
     * request is over 4 MB (larger ones go through an upload session). {@code null} when taken.
     */
    static FakeResponse attach(GraphMailbox.Message m, Map<String, Object> message) {
        if (!(message.get("attachments") instanceof List<?> list)) {
            return null;
        }
        long total = 0;
        for (Object item : list) {
            Map<?, ?> a = item instanceof Map<?, ?> map ? map : Map.of();
            if (!"#microsoft.graph.fileAttachment".equals(a.get("@odata.type")) || !(a.get("name") instanceof String name)
                    || !(a.get("contentBytes") instanceof String content)) {
                return FakeGraph.error(400, "ErrorInvalidRequest", "An attachment needs @odata.type, name and contentBytes.");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                return FakeGraph.error(400, "ErrorInvalidRequest", "contentBytes is not base64.");
            }
            total += content.length();
            if (total > 4L * 1024 * 1024) { // the request's limit, base64 included
                return FakeGraph.error(413, "RequestEntityTooLarge", "The maximum request length supported is 4MB.");
            }
            store(m, name, a.get("contentType") instanceof String type ? type : "application/octet-stream", content, bytes.length,
                    Boolean.TRUE.equals(a.get("isInline")));
        }
        return null;
    }

    /** Adds a file attachment to the message; returns its id. */
    static String store(GraphMailbox.Message m, String name, String contentType, String base64, int size, boolean inline) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("@odata.type", "#microsoft.graph.fileAttachment");
        stored.put("id", "AAMkAtt" + m.attachments.size());
        stored.put("name", name);
        stored.put("contentType", contentType);
        stored.put("size", size);
        stored.put("isInline", inline);
        stored.put("contentBytes", base64);
        m.attachments.add(stored);
        return String.valueOf(stored.get("id"));
    }

    private static byte[] mime(GraphMailbox.Message m) {
        List<Map<String, String>> headers = new ArrayList<>();
        headers.add(Map.of("name", "From", "value", String.valueOf(GraphMail.address(m.from))));
        if (!m.to.isEmpty()) {
            headers.add(Map.of("name", "To", "value", String.join(", ", m.to.stream().map(r -> String.valueOf(GraphMail.address(r))).toList())));
        }
        headers.add(Map.of("name", "Subject", "value", String.valueOf(m.subject)));
        headers.add(Map.of("name", "Date", "value", DateTimeFormatter.RFC_1123_DATE_TIME.format(m.received.atZone(ZoneOffset.UTC))));
        headers.add(Map.of("name", "Message-ID", "value", m.internetMessageId));
        boolean html = m.bodyType.equals("html");
        return MimeWriter.write(headers, html ? null : m.body, html ? m.body : null, m.attachments.stream()
                .map(a -> new MimeWriter.Attachment(String.valueOf(a.get("name")), String.valueOf(a.get("contentType")), a.get("contentBytes")
                        instanceof String stored ? Base64.getDecoder().decode(stored) : FakeServer.largeBodyBytes(((Number) a.get("size")).intValue())))
                .toList());
    }
}
