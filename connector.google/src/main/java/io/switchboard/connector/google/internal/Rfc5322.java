package io.switchboard.connector.google.internal;

import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.OutgoingAttachment;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The RFC 5322 Gmail sends and answers: address lists read from headers (display names quoted
 * or not, commas inside quotes), and an outgoing message written as MIME (UTF-8 words encoded per
 * RFC 2047, a {@code multipart/alternative} of text and HTML in base64, lines of at most 76;
 * with attachments, a {@code multipart/mixed} around it with each file in base64).
 */
final class Rfc5322 {
    private static final Pattern ANGLE = Pattern.compile("^(.*?)<([^<>]+)>$");

    private Rfc5322() {
    }

    /** The addresses of an address-list header, or an empty list. */
    static List<MailAddress> addresses(String header) {
        List<MailAddress> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                MailAddress a = address(current.toString().trim());
                if (a != null) {
                    out.add(a);
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        return out;
    }

    /** One mailbox, {@code Name <a@b>} or {@code a@b}, or {@code null}. */
    static MailAddress address(String mailbox) {
        if (mailbox == null || mailbox.isBlank()) {
            return null;
        }
        Matcher m = ANGLE.matcher(mailbox.trim());
        if (m.matches()) {
            String name = m.group(1).trim().replaceAll("^\"|\"$", "").replace("\\\"", "\"");
            return new MailAddress(name.isEmpty() ? null : name, m.group(2).trim());
        }
        return mailbox.contains("@") ? new MailAddress(null, mailbox.trim()) : null;
    }

    /** The message as MIME with the given threading headers ({@code null}: none). */
    static String write(OutgoingMessage message, String subject, String inReplyTo, String references) {
        StringBuilder out = new StringBuilder();
        header(out, "To", list(message.to()));
        header(out, "Cc", list(message.cc()));
        header(out, "Bcc", list(message.bcc()));
        header(out, "Subject", subject == null ? null : unstructured(subject));
        header(out, "In-Reply-To", inReplyTo);
        header(out, "References", references);
        header(out, "MIME-Version", "1.0");
        if (!message.attachments().isEmpty()) {
            String mixed = "sb-mixed-" + UUID.randomUUID();
            header(out, "Content-Type", "multipart/mixed; boundary=\"" + mixed + "\"");
            out.append("\r\n--").append(mixed).append("\r\n");
            bodies(out, message);
            for (OutgoingAttachment a : message.attachments()) {
                // quoted; a name that is not printable ASCII as encoded words inside the quotes, as mail clients write it
                String name = "\"" + (a.name().matches("[\\x20-\\x7e]*") ? a.name().replace("\\", "\\\\").replace("\"", "\\\"")
                        : encodedWords(a.name())) + "\"";
                out.append("--").append(mixed).append("\r\nContent-Type: ").append(a.contentType()).append("; name=").append(name)
                        .append("\r\nContent-Disposition: attachment; filename=").append(name).append("\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                        .append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(a.content())).append("\r\n");
            }
            out.append("--").append(mixed).append("--\r\n");
            return out.toString();
        }
        bodies(out, message);
        return out.toString();
    }

    /** The bodies: one part, or a {@code multipart/alternative} of text and HTML. */
    private static void bodies(StringBuilder out, OutgoingMessage message) {
        String boundary = "sb-" + UUID.randomUUID();
        if (message.text() != null && message.html() != null) {
            header(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            out.append("\r\n");
            part(out.append("--").append(boundary).append("\r\n"), "text/plain", message.text());
            part(out.append("--").append(boundary).append("\r\n"), "text/html", message.html());
            out.append("--").append(boundary).append("--\r\n");
        } else {
            part(out, message.html() != null ? "text/html" : "text/plain", message.html() != null ? message.html() : message.text());
        }
    }

    private static void part(StringBuilder out, String type, String text) {
        out.append("Content-Type: ").append(type).append("; charset=\"UTF-8\"\r\n");
        out.append("Content-Transfer-Encoding: base64\r\n\r\n");
        out.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(text.getBytes(StandardCharsets.UTF_8))).append("\r\n");
    }

    private static void header(StringBuilder out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.append(name).append(": ").append(value.replaceAll("[\r\n]+", " ")).append("\r\n");
        }
    }

    private static String list(List<MailAddress> addresses) {
        return addresses.stream().map(a -> a.name() == null ? a.address() : phrase(a.name()) + " <" + a.address() + ">")
                .collect(Collectors.joining(", "));
    }

    /** An unstructured header (a subject): as it is when printable ASCII, else RFC 2047 encoded words. */
    static String unstructured(String text) {
        return text.matches("[\\x20-\\x7e]*") ? text : encodedWords(text);
    }

    /** A display name: as it is when atoms, quoted when printable ASCII, else RFC 2047 encoded words. */
    static String phrase(String name) {
        if (name.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ .-]*")) {
            return name;
        }
        return name.matches("[\\x20-\\x7e]*") ? "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : encodedWords(name);
    }

    /** Encoded words of at most 45 bytes of UTF-8 each (75 characters encoded), never splitting a character. */
    private static String encodedWords(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder chunk = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            String c = new String(Character.toChars(text.codePointAt(i)));
            int size = c.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > 45) {
                out.append(out.length() == 0 ? "" : " ").append(encode(chunk.toString()));
                chunk.setLength(0);
                bytes = 0;
            }
            chunk.append(c);
            bytes += size;
        }
        return out.append(out.length() == 0 ? "" : " ").append(encode(chunk.toString())).toString();
    }

    private static String encode(String chunk) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(chunk.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
