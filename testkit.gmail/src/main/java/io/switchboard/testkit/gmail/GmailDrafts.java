package io.switchboard.testkit.gmail;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gmail's drafts as {@link FakeGmail} keeps them: a draft has its own id ({@code r-…}) and a
 * message labelled {@code DRAFT}, which is replaced (a new message id) at every update;
 * {@code drafts.send} sends that message (it becomes {@code SENT}, joining its thread by Gmail's
 * rule) and the draft is gone; a deleted draft is gone for good (404 after).
 */
final class GmailDrafts {
    private GmailDrafts() {
    }

    @SuppressWarnings("unchecked")
    static FakeResponse handle(FakeRequest req, GmailBox box, String subject, List<String> s) {
        String m = req.method();
        if (m.equals("GET") && s.size() == 1) {
            List<Map<String, Object>> drafts = box.drafts.entrySet().stream().map(d -> Map.<String, Object>of("id", d.getKey(),
                    "message", Map.of("id", d.getValue(), "threadId", box.message(d.getValue()).threadId))).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            if (!drafts.isEmpty()) {
                out.put("drafts", drafts);
            }
            out.put("resultSizeEstimate", drafts.size());
            return FakeResponse.json(200, JSONObjectUtils.toJSONString(out));
        }
        Map<String, Object> body = req.jsonObject();
        if (m.equals("POST") && s.size() == 1) {
            Map<String, Object> message = body != null && body.get("message") instanceof Map<?, ?> mm ? (Map<String, Object>) mm : null;
            GmailApi.Composed composed = GmailApi.compose(message, box, subject, false);
            if (composed.refusal() != null) {
                return composed.refusal();
            }
            String id = "r-" + GmailBox.newId();
            store(box, id, composed.message());
            return answer(box, id);
        }
        if (m.equals("POST") && s.equals(List.of("drafts", "send"))) {
            String id = body == null ? null : String.valueOf(body.get("id"));
            String messageId = box.drafts.remove(id);
            if (messageId == null) {
                return notFound();
            }
            GmailBox.Message sent = box.message(messageId);
            sent.labels.remove("DRAFT");
            sent.labels.add("SENT");
            return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("id", sent.id, "threadId", sent.threadId, "labelIds", List.copyOf(sent.labels))));
        }
        String id = s.size() == 2 ? s.get(1) : null;
        if (id == null || !box.drafts.containsKey(id)) {
            return notFound();
        }
        if (m.equals("GET")) {
            return answer(box, id);
        }
        if (m.equals("PUT")) {
            Map<String, Object> message = body != null && body.get("message") instanceof Map<?, ?> mm ? (Map<String, Object>) mm : null;
            GmailApi.Composed composed = GmailApi.compose(message, box, subject, false);
            if (composed.refusal() != null) {
                return composed.refusal();
            }
            box.messages.remove(box.message(box.drafts.get(id)));
            store(box, id, composed.message());
            return answer(box, id);
        }
        if (m.equals("DELETE")) {
            box.messages.remove(box.message(box.drafts.remove(id)));
            return FakeResponse.empty(204);
        }
        return FakeGmail.error(400, "INVALID_ARGUMENT", "Bad Request", "badRequest", "Bad Request");
    }

    /**
     * {@code PUT /upload/gmail/v1/users/me/drafts/{id}?uploadType=media}: the draft's new message
     * as the body itself ({@code message/rfc822}, sent whole or chunked), up to Gmail's 35 MB; the
     * rest as {@code drafts.update}. The fake takes media uploads only (no multipart or resumable).
     */
    static FakeResponse upload(FakeRequest req, GmailBox box, String subject) {
        String id = req.path().substring("/upload/gmail/v1/users/me/drafts/".length());
        if (!req.method().equals("PUT") || id.isEmpty() || id.contains("/")) {
            return notFound();
        }
        if (!"media".equals(req.queryParams().get("uploadType"))) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid upload type: " + req.queryParams().get("uploadType"), "badRequest",
                    "Bad Request");
        }
        String type = String.valueOf(req.header("Content-Type")).split(";")[0].trim();
        if (!type.equalsIgnoreCase("message/rfc822")) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Media type '" + type + "' is not supported. Valid media types: [message/*]",
                    "badContent", "Bad Request");
        }
        byte[] raw = req.body() == null ? new byte[0] : req.body();
        if (raw.length > MOST_UPLOAD_BYTES) {
            return FakeGmail.error(413, "FAILED_PRECONDITION", "Request Entity Too Large", "uploadTooLarge", "Request Entity Too Large");
        }
        String json = JSONObjectUtils.toJSONString(Map.of("id", id, "message", Map.of("raw", java.util.Base64.getUrlEncoder().encodeToString(raw))));
        return handle(new FakeRequest("PUT", "/gmail/v1/users/me/drafts/" + id, null, req.headers(),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), box, subject, List.of("drafts", id));
    }

    /** Gmail's limit on a message sent through the upload endpoint (35 MB). */
    static final int MOST_UPLOAD_BYTES = 36_700_160;

    private static void store(GmailBox box, String id, GmailBox.Message message) {
        message.labels.add("DRAFT");
        box.messages.add(message);
        box.drafts.put(id, message.id);
    }

    private static FakeResponse answer(GmailBox box, String id) {
        GmailBox.Message message = box.message(box.drafts.get(id));
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("id", id, "message", Map.of("id", message.id, "threadId", message.threadId,
                "labelIds", List.copyOf(message.labels)))));
    }

    private static FakeResponse notFound() {
        return FakeGmail.error(404, "NOT_FOUND", "Requested entity was not found.", "notFound", "Not Found");
    }
}
