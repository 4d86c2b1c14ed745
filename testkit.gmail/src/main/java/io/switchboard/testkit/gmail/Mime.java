package io.switchboard.testkit.gmail;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough RFC 5322 / MIME reading for the Gmail fake to take a sent message apart as Gmail
 * does: unfolded headers, RFC 2047 encoded words, nested multiparts, base64 and
 * quoted-printable parts, {@code text/plain} and {@code text/html} bodies, the rest attachments.
 */
final class Mime {
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");

    /** A part: its headers (names as written), and its decoded body. */
    record Part(List<Map<String, String>> headers, byte[] body, List<Part> parts) {
        String header(String name) {
            return headers.stream().filter(h -> h.get("name").equalsIgnoreCase(name)).map(h -> h.get("value")).findFirst().orElse(null);
        }

        String contentType() {
            String type = header("Content-Type");
            return type == null ? "text/plain" : type.split(";")[0].trim().toLowerCase();
        }

        String parameter(String header, String name) {
            String value = header(header);
            Matcher m = value == null ? null : Pattern.compile("(?i)" + name + "=\"?([^\";]+)\"?").matcher(value);
            return m != null && m.find() ? m.group(1) : null;
        }
    }

    private Mime() {
    }

    static Part parse(byte[] message) {
        String raw = new String(message, StandardCharsets.ISO_8859_1);
        int split = raw.indexOf("\r\n\r\n");
        int gap = 4;
        if (split < 0) {
            split = raw.indexOf("\n\n");
            gap = 2;
        }
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + gap);
        List<Map<String, String>> headers = new ArrayList<>();
        for (String line : head.replaceAll("\r?\n[ \t]+", " ").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                Map<String, String> h = new LinkedHashMap<>();
                h.put("name", line.substring(0, colon).trim());
                h.put("value", decodeWords(line.substring(colon + 1).trim()));
                headers.add(h);
            }
        }
        Part shell = new Part(headers, new byte[0], List.of());
        if (shell.contentType().startsWith("multipart/")) {
            String boundary = shell.parameter("Content-Type", "boundary");
            List<Part> parts = new ArrayList<>();
            String[] pieces = body.split("\r?\n?--" + Pattern.quote(boundary));
            for (int i = 1; i < pieces.length; i++) {
                if (pieces[i].startsWith("--")) {
                    break;
                }
                parts.add(parse(pieces[i].replaceFirst("^\r?\n", "").getBytes(StandardCharsets.ISO_8859_1)));
            }
            return new Part(headers, new byte[0], parts);
        }
        String encoding = String.valueOf(shell.header("Content-Transfer-Encoding")).toLowerCase();
        byte[] bytes = switch (encoding) {
            case "base64" -> Base64.getMimeDecoder().decode(body.trim());
            case "quoted-printable" -> quotedPrintable(body);
            default -> body.getBytes(StandardCharsets.ISO_8859_1);
        };
        return new Part(headers, bytes, List.of());
    }

    /** The text of a part in its charset. */
    static String text(Part part) {
        String charset = part.parameter("Content-Type", "charset");
        return new String(part.body(), charset == null ? StandardCharsets.US_ASCII : Charset.forName(charset));
    }

    private static String decodeWords(String value) {
        // white space between two encoded words is not part of the text (RFC 2047 section 6.2)
        Matcher m = ENCODED_WORD.matcher(value.replaceAll("(\\?=)\\s+(=\\?)", "$1$2"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Charset charset = Charset.forName(m.group(1));
            byte[] bytes = m.group(2).equalsIgnoreCase("B") ? Base64.getDecoder().decode(m.group(3))
                    : quotedPrintable(m.group(3).replace('_', ' '));
            m.appendReplacement(out, Matcher.quoteReplacement(new String(bytes, charset)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static byte[] quotedPrintable(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String text = s.replaceAll("=\r?\n", "");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
