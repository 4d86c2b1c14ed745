package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.mime.MimeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * pattern of its size) and {@code messages/{id}/$value} (the message's MIME content).
 */
final class GraphContent {
    private GraphContent() {
    }

    /** Whether the path after {@code /me/} ({@code messages/{id}/...}) is content this serves. */
    static boolean handles(List<String> s) {
        return s.size() == 3 && s.get(2).equals("$value") || s.size() >= 4 && s.size() <= 5 && s.get(2).equals("attachments");
    }

    /** @param s the decoded path segments after {@code /me/} */
    static FakeResponse handle(FakeRequest req, GraphMailbox.Message m, List<String> s) {
        if (s.size() == 3) {
            return FakeResponse.of(200, "text/plain", new String(mime(m), java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, Object> a = m.attachments.stream().filter(x -> x.get("id").equals(s.get(3))).findFirst().orElse(null);
        if (a == null) {
            return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
        }
        int size = ((Number) a.get("size")).intValue();
        if (s.size() == 5) {
            return s.get(4).equals("$value") ? FakeResponse.streamed(200, String.valueOf(a.get("contentType")), size,
                    out -> FakeServer.writeLargeBody(out, 0, size))
                    : FakeGraph.error(400, "BadRequest", "Resource not found for the segment '" + s.get(4) + "'.");
        }
        Map<String, Object> out = new LinkedHashMap<>(a);
        String select = req.queryParams().get("$select");
        if (select != null) {
            out.keySet().retainAll(List.of((select + ",@odata.type").split(",")));
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
            try {
                FakeServer.writeLargeBody(bytes, 0, size);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            out.put("contentBytes", Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        return FakeResponse.json(200, Json.write(out));
    }

    private static byte[] mime(GraphMailbox.Message m) {
        List<Map<String, String>> headers = new ArrayList<>();
        headers.add(Map.of("name", "From", "value", String.valueOf(address(m.from))));
        if (!m.to.isEmpty()) {
            headers.add(Map.of("name", "To", "value", String.join(", ", m.to.stream().map(r -> String.valueOf(address(r))).toList())));
        }
        headers.add(Map.of("name", "Subject", "value", String.valueOf(m.subject)));
        headers.add(Map.of("name", "Date", "value", DateTimeFormatter.RFC_1123_DATE_TIME.format(m.received.atZone(ZoneOffset.UTC))));
        headers.add(Map.of("name", "Message-ID", "value", m.internetMessageId));
        boolean html = m.bodyType.equals("html");
        return MimeWriter.write(headers, html ? null : m.body, html ? m.body : null, m.attachments.stream()
                .map(a -> new MimeWriter.Attachment(String.valueOf(a.get("name")), String.valueOf(a.get("contentType")), ((Number) a.get("size")).intValue()))
                .toList());
    }

    private static Object address(Map<String, Object> recipient) {
        return recipient == null ? null : ((Map<?, ?>) recipient.get("emailAddress")).get("address");
    }
}
