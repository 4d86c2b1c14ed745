package io.switchboard.testkit.gmail;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.mime.MimeWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link FakeGmail}'s routes as the Gmail API v1 answers them: labels (system and user; counts
 * only on one label), messages listed as {@code {id, threadId}} only, newest first, 100 to a
 * page unless {@code maxResults} (at most 500), by {@code labelIds} and the {@code q} operators a
 * client uses ({@code is:unread}, {@code is:read}, {@code from:}, {@code after:} and
 * {@code before:} in epoch seconds, free words), spam and trash left out unless {@code includeSpamTrash}; empty lists omit their
 * members; one message as {@code full} (a MIME tree with base64url bodies), {@code metadata} or
 * {@code raw} (the RFC 5322 text in base64url); an attachment's {@code data}, streamed;
 * int64 values as strings; sending a base64url RFC 2822 message, which joins the given thread
 * only when {@code In-Reply-To}, {@code References} and a matching subject say so too;
 * {@code modify} (labels that exist) and {@code trash} (the TRASH label added).
 */
final class GmailApi {
    private final FakeGmail gmail;

    GmailApi(FakeGmail gmail) {
        this.gmail = gmail;
    }

    FakeResponse handle(FakeRequest req, String subject) {
        List<String> s = new ArrayList<>();
        for (String part : req.path().substring("/gmail/v1/users/me/".length()).split("/")) {
            s.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        GmailBox box = gmail.mailbox(subject);
        synchronized (box) {
            String m = req.method();
            if (m.equals("GET") && s.equals(List.of("labels"))) {
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("labels", box.labels.values().stream().map(l -> label(l, null)).toList())));
            }
            if (m.equals("GET") && s.size() == 2 && s.get(0).equals("labels")) {
                GmailBox.Label l = box.labels.get(s.get(1));
                return l == null ? notFound() : FakeResponse.json(200, JSONObjectUtils.toJSONString(label(l, box)));
            }
            if (m.equals("GET") && s.equals(List.of("messages"))) {
                return list(req, box);
            }
            if (m.equals("GET") && s.equals(List.of("history"))) {
                return gmail.history().list(req, box, subject);
            }
            if (s.get(0).equals("drafts")) {
                return GmailDrafts.handle(req, box, subject, s);
            }
            if (m.equals("POST") && s.equals(List.of("messages", "send"))) {
                return send(req, box, subject);
            }
            if (m.equals("POST") && s.size() == 3 && s.get(0).equals("messages") && box.message(s.get(1)) == null) {
                return notFound();
            }
            if (m.equals("POST") && s.size() == 3 && s.get(2).equals("modify")) {
                return modify(req, box, box.message(s.get(1)));
            }
            if (m.equals("POST") && s.size() == 3 && s.get(2).equals("trash")) {
                GmailBox.Message message = box.message(s.get(1));
                message.labels.add("TRASH");
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("id", message.id, "threadId", message.threadId, "labelIds", List.copyOf(message.labels))));
            }
            if (m.equals("GET") && s.size() == 2 && s.get(0).equals("messages")) {
                GmailBox.Message message = box.message(s.get(1));
                return message == null ? notFound()
                        : FakeResponse.json(200, JSONObjectUtils.toJSONString(partial(message(message, req.queryParams().getOrDefault("format", "full")),
                                req.queryParams().get("fields"))));
            }
            if (m.equals("GET") && s.size() == 4 && s.get(0).equals("messages") && s.get(2).equals("attachments")) {
                GmailBox.Message message = box.message(s.get(1));
                GmailBox.Attachment a = message == null ? null
                        : message.attachments.stream().filter(x -> x.id().equals(s.get(3))).findFirst().orElse(null);
                return a == null ? notFound() : attachment(a);
            }
            return FakeGmail.error(404, "NOT_FOUND", "Requested entity was not found.", "notFound", "Not Found");
        }
    }

    /**
     * {@code messages.attachments.get}: {@code {"size", "data"}} with the bytes (those it was sent
     * with, or the {@code FakeServer.largeBody} pattern of a seed's size) in padded base64url, written
     * as the client reads.
     */
    private static FakeResponse attachment(GmailBox.Attachment a) {
        String head = "{\"size\":" + a.size() + ",\"data\":\"";
        String tail = "\"}";
        long encoded = 4L * ((a.size() + 2) / 3);
        return FakeResponse.streamed(200, "application/json; charset=UTF-8", head.length() + encoded + tail.length(), out -> {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            java.io.OutputStream base64 = Base64.getUrlEncoder().wrap(new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    // the JSON goes on after the data
                }
            });
            if (a.content() != null) {
                base64.write(a.content());
            } else {
                io.switchboard.testkit.http.FakeServer.writeLargeBody(base64, 0, a.size());
            }
            base64.close();
            out.write(tail.getBytes(StandardCharsets.US_ASCII));
        });
    }

    private FakeResponse list(FakeRequest req, GmailBox box) {
        Map<String, String> q = req.queryParams();
        int max = q.containsKey("maxResults") ? Integer.parseInt(q.get("maxResults")) : 100;
        if (max < 1 || max > 500) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid maxResults", "invalidArgument", "Invalid maxResults");
        }
        List<Predicate<GmailBox.Message>> filters = new ArrayList<>();
        String labelIds = q.get("labelIds");
        if (labelIds != null) {
            filters.add(msg -> msg.labels.containsAll(List.of(labelIds.split(","))));
        }
        if (!"true".equals(q.get("includeSpamTrash")) && (labelIds == null || !labelIds.contains("SPAM") && !labelIds.contains("TRASH"))) {
            filters.add(msg -> !msg.labels.contains("SPAM") && !msg.labels.contains("TRASH"));
        }
        for (String term : q.getOrDefault("q", "").trim().split("\\s+")) {
            if (term.isEmpty()) {
                continue;
            }
            String lower = term.toLowerCase();
            if (lower.equals("is:unread") || lower.equals("is:read")) {
                boolean unread = lower.equals("is:unread");
                filters.add(msg -> msg.labels.contains("UNREAD") == unread);
            } else if (lower.startsWith("from:")) {
                filters.add(msg -> String.valueOf(msg.header("From")).toLowerCase().contains(lower.substring(5)));
            } else if (lower.startsWith("after:") || lower.startsWith("before:")) {
                Instant at = Instant.ofEpochSecond(Long.parseLong(lower.substring(lower.indexOf(':') + 1)));
                filters.add(lower.startsWith("after:") ? msg -> !msg.internalDate.isBefore(at) : msg -> msg.internalDate.isBefore(at));
            } else {
                filters.add(msg -> (msg.header("Subject") + " " + msg.text + " " + msg.html + " " + msg.header("From")).toLowerCase()
                        .contains(lower));
            }
        }
        List<GmailBox.Message> found = box.messages.stream().filter(msg -> filters.stream().allMatch(f -> f.test(msg)))
                .sorted(Comparator.comparing((GmailBox.Message msg) -> msg.internalDate).reversed()).toList();
        int from = q.containsKey("pageToken") ? Integer.parseInt(new String(Base64.getUrlDecoder().decode(q.get("pageToken")),
                StandardCharsets.UTF_8)) : 0;
        List<GmailBox.Message> page = found.subList(Math.min(from, found.size()), Math.min(from + max, found.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            out.put("messages", page.stream().map(msg -> Map.of("id", msg.id, "threadId", msg.threadId)).toList());
        }
        if (from + max < found.size()) {
            out.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(from + max)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        out.put("resultSizeEstimate", found.size());
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(out));
    }

    /** {@code messages.modify}: labels that exist only, at most 100 each way. */
    private static FakeResponse modify(FakeRequest req, GmailBox box, GmailBox.Message message) {
        Map<String, Object> body = req.jsonObject();
        List<String> add = body != null && body.get("addLabelIds") instanceof List<?> a ? a.stream().map(String::valueOf).toList() : List.of();
        List<String> remove = body != null && body.get("removeLabelIds") instanceof List<?> r ? r.stream().map(String::valueOf).toList() : List.of();
        for (String label : concat(add, remove)) {
            if (!box.labels.containsKey(label)) {
                return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid label: " + label, "invalidArgument", "Invalid label: " + label);
            }
        }
        if (add.size() > 100 || remove.size() > 100) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Too many label ids", "invalidArgument", "Too many label ids");
        }
        message.labels.addAll(add);
        message.labels.removeAll(remove);
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("id", message.id, "threadId", message.threadId, "labelIds", List.copyOf(message.labels))));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private FakeResponse send(FakeRequest req, GmailBox box, String subject) {
        Composed composed = compose(req.jsonObject(), box, subject, true);
        if (composed.refusal() != null) {
            return composed.refusal();
        }
        GmailBox.Message sent = composed.message();
        sent.labels.add("SENT");
        box.messages.add(sent);
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("id", sent.id, "threadId", sent.threadId, "labelIds", List.copyOf(sent.labels))));
    }

    /** A message composed from a request's {@code {raw, threadId}}, or Gmail's refusal of it. */
    record Composed(GmailBox.Message message, FakeResponse refusal) {}

    static Composed compose(Map<String, Object> body, GmailBox box, String subject, boolean recipientsRequired) {
        if (body == null || !(body.get("raw") instanceof String raw)) {
            return new Composed(null, FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid value for ByteString", "invalidArgument",
                    "'raw' RFC822 payload message string or uploading message via /upload/* URL required"));
        }
        Mime.Part mime;
        try {
            mime = Mime.parse(Base64.getUrlDecoder().decode(raw));
        } catch (IllegalArgumentException e) {
            return new Composed(null, FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid value for ByteString: " + e.getMessage(),
                    "invalidArgument", "Invalid value"));
        }
        if (recipientsRequired && mime.header("To") == null && mime.header("Cc") == null && mime.header("Bcc") == null) {
            return new Composed(null, FakeGmail.error(400, "FAILED_PRECONDITION", "Recipient address required", "failedPrecondition",
                    "Recipient address required"));
        }
        GmailBox.Message m = new GmailBox.Message();
        mime.headers().forEach(h -> {
            if (!h.get("name").equalsIgnoreCase("Bcc")) {
                m.header(h.get("name"), h.get("value"));
            }
        });
        if (m.header("From") == null) {
            m.header("From", FakeGmail.address(subject));
        }
        if (m.header("Message-ID") == null) {
            m.header("Message-ID", "<" + m.id + "@mail.gmail.com>");
        }
        bodies(mime, m);
        if (body.get("threadId") instanceof String thread) {
            GmailBox.Message first = box.messages.stream().filter(msg -> msg.threadId.equals(thread)).findFirst().orElse(null);
            // Gmail's rule: the threadId, RFC 2822 In-Reply-To and References, and a matching subject
            if (first != null && m.header("In-Reply-To") != null && m.header("References") != null
                    && normalized(m.header("Subject")).equals(normalized(first.header("Subject")))) {
                m.threadId = thread;
            }
        }
        return new Composed(m, null);
    }

    private static void bodies(Mime.Part part, GmailBox.Message into) {
        if (!part.parts().isEmpty()) {
            part.parts().forEach(p -> bodies(p, into));
            return;
        }
        String name = part.parameter("Content-Disposition", "filename");
        if (name == null && part.contentType().equals("text/plain") && into.text == null) {
            into.text = Mime.text(part);
        } else if (name == null && part.contentType().equals("text/html") && into.html == null) {
            into.html = Mime.text(part);
        } else {
            into.attachments.add(new GmailBox.Attachment("ANGjdJ" + GmailBox.newId(), name == null ? "" : name, part.contentType(),
                    part.body().length, part.body()));
        }
    }

    private static String normalized(String subject) {
        return String.valueOf(subject).replaceAll("(?i)^((re|fwd?|aw|sv):\\s*)+", "").trim();
    }

    private static Map<String, Object> label(GmailBox.Label l, GmailBox counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", l.id());
        out.put("name", l.name());
        out.put("type", l.type());
        if (l.type().equals("user")) {
            out.put("messageListVisibility", "show");
            out.put("labelListVisibility", "labelShow");
        }
        if (counts != null) {
            long total = counts.messages.stream().filter(m -> m.labels.contains(l.id())).count();
            long unread = counts.messages.stream().filter(m -> m.labels.contains(l.id()) && m.labels.contains("UNREAD")).count();
            out.put("messagesTotal", total);
            out.put("messagesUnread", unread);
        }
        return out;
    }

    /** A message as Gmail writes it: {@code full} with its MIME tree, {@code metadata} with its headers only. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> message(GmailBox.Message m, String format) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id);
        out.put("threadId", m.threadId);
        out.put("labelIds", List.copyOf(m.labels));
        String text = m.text != null ? m.text : String.valueOf(m.html).replaceAll("<[^>]*>", " ");
        out.put("snippet", text.replaceAll("\\s+", " ").trim().substring(0, Math.min(100, text.replaceAll("\\s+", " ").trim().length())));
        out.put("historyId", "1");
        out.put("internalDate", Long.toString(m.internalDate.toEpochMilli()));
        out.put("sizeEstimate", 1000 + String.valueOf(m.text).length() + String.valueOf(m.html).length());
        if (format.equals("raw")) {
            out.put("raw", Base64.getUrlEncoder().encodeToString(MimeWriter.write(m.headers, m.text, m.html, m.attachments.stream()
                    .map(a -> new MimeWriter.Attachment(a.filename(), a.mimeType(), a.content() != null ? a.content()
                            : io.switchboard.testkit.http.FakeServer.largeBodyBytes(a.size()))).toList())));
            return out;
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        // partIds are paths in the tree: "0" and "1" at the top, "0.0" and "0.1" inside a multipart/mixed's first part
        String prefix = m.attachments.isEmpty() ? "" : "0.";
        if (format.equals("full")) {
            if (m.text != null) {
                parts.add(part(prefix + "0", "text/plain; charset=\"UTF-8\"", "", m.text.getBytes(StandardCharsets.UTF_8), null));
            }
            if (m.html != null) {
                parts.add(part(prefix + parts.size(), "text/html; charset=\"UTF-8\"", "", m.html.getBytes(StandardCharsets.UTF_8), null));
            }
        }
        Map<String, Object> alternative = part("0", "multipart/alternative; boundary=\"alt\"", "", null, null);
        alternative.put("parts", parts);
        List<Map<String, Object>> top = new ArrayList<>(List.of(alternative));
        for (GmailBox.Attachment a : m.attachments) {
            Map<String, Object> p = part(String.valueOf(top.size()), a.mimeType(), a.filename(), null, a.id());
            ((Map<String, Object>) p.get("body")).put("size", a.size());
            top.add(p);
        }
        Map<String, Object> payload = part("", m.attachments.isEmpty() ? "multipart/alternative" : "multipart/mixed", "", null, null);
        payload.put("headers", m.headers);
        payload.put("parts", m.attachments.isEmpty() ? parts : top);
        out.put("payload", payload);
        return out;
    }

    private static Map<String, Object> part(String id, String type, String filename, byte[] data, String attachmentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", data == null ? 0 : data.length);
        if (data != null) {
            body.put("data", Base64.getUrlEncoder().encodeToString(data));
        }
        if (attachmentId != null) {
            body.put("attachmentId", attachmentId);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("partId", id);
        p.put("mimeType", type.split(";")[0]);
        p.put("filename", filename);
        p.put("headers", List.of(Map.of("name", "Content-Type", "value", type)));
        p.put("body", body);
        return p;
    }

    /**
     * A partial response ({@code fields}): this fake honours only the part that matters to a
     * client's cost, leaving the parts' {@code data} out when the fields do not name it.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> partial(Map<String, Object> message, String fields) {
        if (fields != null && !fields.contains("data") && message.get("payload") instanceof Map<?, ?> payload) {
            withoutData((Map<String, Object>) payload);
        }
        return message;
    }

    @SuppressWarnings("unchecked")
    private static void withoutData(Map<String, Object> part) {
        if (part.get("body") instanceof Map<?, ?> body) {
            ((Map<String, Object>) body).remove("data");
        }
        if (part.get("parts") instanceof List<?> parts) {
            parts.forEach(p -> withoutData((Map<String, Object>) p));
        }
    }

    private static FakeResponse notFound() {
        return FakeGmail.error(404, "NOT_FOUND", "Requested entity was not found.", "notFound", "Not Found");
    }
}
