package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.MailAttachment;
import io.switchboard.core.mailbox.api.MailFolder;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.OutgoingAttachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The unified records as the API writes them, and a request's addresses and texts as it reads them. */
final class MailJson {
    private MailJson() {
    }

    /** What the provider said of a message it accepted: {@code {id, threadId}} (either may be null). */
    static Map<String, Object> sent(io.switchboard.core.mailbox.api.SentMessage sent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", sent.id());
        out.put("threadId", sent.threadId());
        return out;
    }

    static Map<String, Object> draft(io.switchboard.core.mailbox.api.Draft d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("messageId", d.messageId());
        out.put("threadId", d.threadId());
        return out;
    }

    static Map<String, Object> folder(MailFolder f, boolean remote) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.id());
        out.put("name", f.name());
        out.put("kind", f.kind());
        out.put("parentId", f.parentId());
        out.put("total", f.total());
        out.put("unread", f.unread());
        if (remote) {
            out.put("remote", f.remote());
        }
        return out;
    }

    static Map<String, Object> message(MailMessage m, boolean remote) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("threadId", m.threadId());
        out.put("folderIds", m.folderIds());
        out.put("internetMessageId", m.internetMessageId());
        out.put("from", address(m.from()));
        out.put("to", m.to().stream().map(MailJson::address).toList());
        out.put("cc", m.cc().stream().map(MailJson::address).toList());
        out.put("bcc", m.bcc().stream().map(MailJson::address).toList());
        out.put("replyTo", m.replyTo().stream().map(MailJson::address).toList());
        out.put("subject", m.subject());
        out.put("snippet", m.snippet());
        out.put("receivedAt", m.receivedAt() == null ? null : m.receivedAt().toString());
        out.put("unread", m.unread());
        out.put("flagged", m.flagged());
        out.put("draft", m.draft());
        if (m.textBody() != null || m.htmlBody() != null) {
            out.put("textBody", m.textBody());
            out.put("htmlBody", m.htmlBody());
        }
        out.put("attachments", m.attachments().stream().map(MailJson::attachment).toList());
        if (remote) {
            out.put("remote", m.remote());
        }
        return out;
    }

    static Map<String, Object> attachment(MailAttachment a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("name", a.name());
        out.put("contentType", a.contentType());
        out.put("size", a.size());
        out.put("inline", a.inline());
        return out;
    }

    /** An address as {@code {name, address}}, or {@code null}. */
    static Map<String, Object> address(MailAddress a) {
        if (a == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("address", a.address());
        return out;
    }

    static boolean isAddress(String s) {
        return s.length() <= 320 && s.matches("[^\\s@<>\",;]{1,64}@[^\\s@<>\",;]{1,255}");
    }

    /** A request's list of addresses: {@code "a@b.example"} or {@code {"name", "address"}} each. */
    static List<MailAddress> addresses(Map<String, Object> body, String member) {
        Object value = body.get(member);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw ProblemException.badRequest(member + " is a list of addresses");
        }
        List<MailAddress> out = new ArrayList<>();
        for (Object item : list) {
            String address = item instanceof String s ? s : item instanceof Map<?, ?> m && m.get("address") instanceof String s ? s : null;
            Object name = item instanceof Map<?, ?> m ? m.get("name") : null;
            if (address == null || !isAddress(address.trim()) || name != null && !(name instanceof String n && n.length() <= 200
                    && !n.matches("(?s).*[\\r\\n].*"))) {
                throw ProblemException.badRequest(member + " holds an address that is not one: " + (address == null ? item : address));
            }
            out.add(new MailAddress((String) name, address.trim()));
        }
        return out;
    }

    /** An optional string member of at most {@code max} characters. */
    static String text(Map<String, Object> body, String member, int max) {
        Object value = body.get(member);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.length() > max) {
            throw ProblemException.badRequest(member + " is a string of at most " + max + " characters");
        }
        return s;
    }

    /** {@code attachment} with the name as RFC 6266 writes it: an ASCII fallback and the UTF-8 original. */
    static String disposition(String name) {
        if (name == null || name.isBlank()) {
            return "attachment";
        }
        String clean = name.replaceAll("[\\p{Cntrl}\\\\/]", "_");
        String ascii = clean.replaceAll("[^\\x20-\\x7e]|[\"%]", "_");
        String encoded = java.net.URLEncoder.encode(clean, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** At most this many files in one message. */
    private static final int MOST_ATTACHMENTS = 50;

    /**
     * {@code attachments}: {@code [{name, contentType, content}]}, the content in base64; at most
     * {@code maxBytes} decoded in all (413 {@code attachments-too-large} beyond).
     */
    static List<OutgoingAttachment> attachments(Map<String, Object> body, int maxBytes) {
        Object value = body.get("attachments");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > MOST_ATTACHMENTS) {
            throw ProblemException.badRequest("attachments is a list of at most " + MOST_ATTACHMENTS + " {name, contentType, content}");
        }
        List<OutgoingAttachment> out = new ArrayList<>();
        long total = 0;
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> a) || !(a.get("name") instanceof String name) || !(a.get("content") instanceof String content)) {
                throw ProblemException.badRequest("an attachment is {name, contentType, content} with its content in base64");
            }
            if (name.isBlank() || name.length() > 255 || name.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
                throw ProblemException.badRequest("an attachment's name is 1 to 255 characters, no control characters or slashes");
            }
            Object type = a.get("contentType");
            if (type != null && !(type instanceof String t && t.matches("[\\w.+-]{1,127}/[\\w.+-]{1,127}"))) {
                throw ProblemException.badRequest("an attachment's contentType is a media type such as application/pdf");
            }
            byte[] bytes;
            try {
                bytes = java.util.Base64.getMimeDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("an attachment's content is base64");
            }
            total += bytes.length;
            if (total > maxBytes) {
                throw new ProblemException(413, "attachments-too-large", "Attachments too large", "a message sends at most " + maxBytes
                        + " bytes of attachments here (switchboard.mailbox max.attachment.bytes; larger uploads are not built yet)");
            }
            out.add(new OutgoingAttachment(name, type == null ? "application/octet-stream" : (String) type, bytes));
        }
        return out;
    }
}
