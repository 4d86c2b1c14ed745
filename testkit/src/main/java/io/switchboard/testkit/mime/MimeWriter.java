package io.switchboard.testkit.mime;

import io.switchboard.testkit.http.FakeServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A message written as RFC 5322 text, as the providers hand raw messages out (Graph's
 * {@code $value}, Gmail's {@code format=raw}): the headers given, a {@code multipart/alternative}
 * of the text and HTML bodies, and when there are attachments a {@code multipart/mixed} around it
 * with each attachment in base64. The headers' own {@code Content-*} and {@code MIME-Version} are left out: the
 * message's structure is this writer's.
 */
public final class MimeWriter {
    /** An attachment: its name, type and bytes ({@link FakeServer#largeBodyBytes} for a seeded one). */
    public record Attachment(String name, String type, byte[] content) {}

    private MimeWriter() {
    }

    /** The message's bytes: {@code headers} ({@code {name, value}} each), then its bodies and attachments. */
    public static byte[] write(List<Map<String, String>> headers, String text, String html, List<Attachment> attachments) {
        StringBuilder out = new StringBuilder();
        headers.stream().filter(h -> !h.get("name").matches("(?i)content-.*|mime-version"))
                .forEach(h -> out.append(h.get("name")).append(": ").append(h.get("value")).append("\r\n"));
        out.append("MIME-Version: 1.0\r\n");
        String alternative = "alt-" + Long.toHexString(System.nanoTime());
        StringBuilder bodies = new StringBuilder("Content-Type: multipart/alternative; boundary=\"" + alternative + "\"\r\n\r\n");
        for (String[] body : new String[][] {{"text/plain", text}, {"text/html", html}}) {
            if (body[1] != null) {
                bodies.append("--").append(alternative).append("\r\nContent-Type: ").append(body[0])
                        .append("; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                        .append(Base64.getMimeEncoder().encodeToString(body[1].getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
        }
        bodies.append("--").append(alternative).append("--\r\n");
        if (attachments.isEmpty()) {
            out.append(bodies);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
        String mixed = "mixed-" + Long.toHexString(System.nanoTime());
        out.append("Content-Type: multipart/mixed; boundary=\"").append(mixed).append("\"\r\n\r\n--").append(mixed).append("\r\n").append(bodies);
        for (Attachment a : attachments) {
            out.append("--").append(mixed).append("\r\nContent-Type: ").append(a.type()).append("; name=\"").append(a.name())
                    .append("\"\r\nContent-Disposition: attachment; filename=\"").append(a.name())
                    .append("\"\r\nContent-Transfer-Encoding: base64\r\n\r\n").append(Base64.getMimeEncoder().encodeToString(a.content()))
                    .append("\r\n");
        }
        out.append("--").append(mixed).append("--\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
