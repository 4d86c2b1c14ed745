package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link FakeGraph}'s mail routes, as Graph v1.0 answers them: folders (ids or well-known names),
 * messages of a folder or of the whole mailbox newest first, 10 to a page unless {@code $top}
 * (at most 1000) says otherwise, continued by an absolute {@code @odata.nextLink};
 * {@code $select}, the {@code $filter} clauses a mail client uses ({@code isRead},
 * {@code from/emailAddress/address}, {@code receivedDateTime} ranges, joined by {@code and}) and
 * {@code $search}; one message with its body as HTML unless {@code Prefer:
 * outlook.body-content-type="text"}; its attachments (their content and the message's MIME in {@link GraphContent}); {@code sendMail} and {@code reply}
 * answering 202 with no body (a reply keeps the conversation, goes to the sender, is titled
 * {@code RE:}; {@code comment} and {@code message.body} together are 400); PATCH of
 * {@code isRead} and {@code flag}; {@code move} (201 with the moved message); DELETE to Deleted
 * Items (and from there for good), {@code permanentDelete} (204, gone); {@code forward} (202, FW:,
 * the comment above the original, in its conversation); drafts ({@code POST messages} and {@code createReply}: 201 in
 * Drafts; PATCH; {@code send}: 202, to Sent Items under the same immutable id). Ids are the REST ids
 * that change on a move unless the request says {@code Prefer: IdType="ImmutableId"}.
 */
final class GraphMail {
    private static final Pattern CLAUSE = Pattern.compile(
            "(isRead) eq (true|false)|(from/emailAddress/address) eq '([^']*)'|(receivedDateTime) (ge|lt) (\\S+)");

    private final FakeGraph graph;

    GraphMail(FakeGraph graph) {
        this.graph = graph;
    }

    FakeResponse handle(FakeRequest req, String subject) {
        List<String> s = new ArrayList<>();
        for (String part : req.path().substring("/v1.0/me/".length()).split("/")) {
            s.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        FakeGraph.Extension extension = graph.extension(s.get(0));
        if (extension != null) {
            return extension.handle(req, subject, s);
        }
        GraphMailbox box = graph.mailbox(subject);
        boolean immutable = String.valueOf(req.headers().get("Prefer")).contains("IdType=\"ImmutableId\"");
        synchronized (box) {
            String m = req.method();
            if (m.equals("GET") && s.get(0).equals("mailFolders") && s.size() == 1) {
                return page(req, box.folders.values().stream().map(GraphMail::folder).toList());
            }
            if (s.get(0).equals("mailFolders") && box.folder(s.get(1)) == null) {
                return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            if (m.equals("GET") && s.get(0).equals("mailFolders") && s.size() == 2) {
                return FakeResponse.json(200, Json.write(select(folder(box.folder(s.get(1))), req)));
            }
            if (m.equals("GET") && s.size() == 4 && s.get(0).equals("mailFolders") && s.get(2).equals("messages") && s.get(3).equals("delta")) {
                return graph.delta().messages(req, box, subject, box.folder(s.get(1)), immutable);
            }
            if (m.equals("GET") && (s.size() == 1 && s.get(0).equals("messages") || s.size() == 3 && s.get(2).equals("messages"))) {
                return list(req, box, s.size() == 3 ? box.folder(s.get(1)).id() : null, immutable);
            }
            if (m.equals("POST") && s.size() == 1 && s.get(0).equals("sendMail")) {
                return send(req, box, subject, null);
            }
            if (m.equals("POST") && s.equals(List.of("messages"))) {
                return draft(req, box, subject, null, immutable);
            }
            if (s.get(0).equals("messages") && s.size() >= 2) {
                GraphMailbox.Message message = box.message(s.get(1));
                if (message == null) {
                    return s.get(1).matches("[A-Za-z0-9=_-]{20,}")
                            ? FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
                            : FakeGraph.error(400, "ErrorInvalidIdMalformed", "Id is malformed.");
                }
                if (m.equals("GET") && s.size() == 2) {
                    String prefer = String.valueOf(req.headers().get("Prefer"));
                    return FakeResponse.json(200, Json.write(select(json(message, immutable,
                            prefer.contains("outlook.body-content-type=\"text\"") ? "text" : "html"), req)));
                }
                if (GraphContent.handles(m, s)) {
                    return GraphContent.handle(req, subject, box, message, s, graph.uploads());
                }
                if (m.equals("GET") && s.size() == 3 && s.get(2).equals("attachments")) {
                    return FakeResponse.json(200, Json.write(Map.of("value", message.attachments.stream().map(a -> select(new LinkedHashMap<>(a), req)).toList())));
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("reply")) {
                    return send(req, box, subject, message);
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("forward")) {
                    return forward(req, box, subject, message);
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("permanentDelete")) {
                    box.messages.remove(message);
                    return FakeResponse.empty(204);
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("createReply")) {
                    return draft(req, box, subject, message, immutable);
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("send")) {
                    if (!message.draft) {
                        return FakeGraph.error(400, "ErrorInvalidOperation", "Only draft messages can be sent.");
                    }
                    message.draft = false;
                    message.read = true;
                    message.moveTo(box.folder("sentitems").id());
                    return FakeResponse.empty(202);
                }
                if (m.equals("PATCH") && s.size() == 2) {
                    Map<String, Object> change = req.jsonObject();
                    if (change == null) {
                        return FakeGraph.error(400, "RequestBodyRead", "Cannot read the request body.");
                    }
                    if (message.draft) {
                        compose(message, change);
                    }
                    if (change.get("isRead") instanceof Boolean read) {
                        message.read = read;
                    }
                    if (change.get("flag") instanceof Map<?, ?> flag) {
                        message.flagged = "flagged".equals(flag.get("flagStatus"));
                    }
                    return FakeResponse.json(200, Json.write(json(message, immutable, null)));
                }
                if (m.equals("POST") && s.size() == 3 && s.get(2).equals("move")) {
                    Map<String, Object> target = req.jsonObject();
                    GraphMailbox.Folder folder = target == null || !(target.get("destinationId") instanceof String d) ? null : box.folder(d);
                    if (folder == null) {
                        return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                    }
                    message.moveTo(folder.id());
                    return FakeResponse.json(201, Json.write(json(message, immutable, null)));
                }
                if (m.equals("DELETE") && s.size() == 2) {
                    String trash = box.folder("deleteditems").id();
                    if (message.folderId.equals(trash)) {
                        box.messages.remove(message);
                    } else {
                        message.moveTo(trash);
                    }
                    return FakeResponse.empty(204);
                }
            }
            return FakeGraph.error(400, "BadRequest", "Resource not found for the segment '" + s.get(0) + "'.");
        }
    }

    private FakeResponse list(FakeRequest req, GraphMailbox box, String folderId, boolean immutable) {
        Map<String, String> q = req.queryParams();
        List<Predicate<GraphMailbox.Message>> filters = new ArrayList<>();
        if (folderId != null) {
            filters.add(msg -> msg.folderId.equals(folderId));
        }
        if (q.get("$filter") != null) {
            String rest = q.get("$filter");
            for (String clause : rest.split(" and ")) {
                Matcher c = CLAUSE.matcher(clause.trim());
                if (!c.matches()) {
                    return FakeGraph.error(400, "BadRequest", "Invalid filter clause");
                }
                if (c.group(1) != null) {
                    boolean read = Boolean.parseBoolean(c.group(2));
                    filters.add(msg -> msg.read == read);
                } else if (c.group(3) != null) {
                    String address = c.group(4);
                    filters.add(msg -> msg.from != null && address.equalsIgnoreCase(String.valueOf(address(msg.from))));
                } else {
                    Instant at = Instant.parse(c.group(7));
                    filters.add(c.group(6).equals("ge") ? msg -> !msg.received.isBefore(at) : msg -> msg.received.isBefore(at));
                }
            }
        }
        if (q.get("$search") != null) {
            String words = q.get("$search").replaceAll("^\"|\"$", "").toLowerCase();
            filters.add(msg -> (msg.subject + " " + msg.body + " " + address(msg.from)).toLowerCase().contains(words));
        }
        List<Map<String, Object>> items = box.messages.stream().filter(msg -> filters.stream().allMatch(f -> f.test(msg)))
                .sorted(Comparator.comparing((GraphMailbox.Message msg) -> msg.received).reversed())
                .map(msg -> select(json(msg, immutable, null), req)).toList();
        return page(req, items);
    }

    /** A page of {@code items} per {@code $top} and {@code $skip}, with an absolute nextLink while more remain. */
    FakeResponse page(FakeRequest req, List<Map<String, Object>> items) {
        Map<String, String> q = req.queryParams();
        int top = q.containsKey("$top") ? Integer.parseInt(q.get("$top")) : 10;
        if (top < 1 || top > 1000) {
            return FakeGraph.error(400, "ErrorInvalidArgument", "The value of $top must be between 1 and 1000.");
        }
        int skip = q.containsKey("$skip") ? Integer.parseInt(q.get("$skip")) : 0;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", graph.baseUri() + "/v1.0/$metadata#Collection");
        out.put("value", items.subList(Math.min(skip, items.size()), Math.min(skip + top, items.size())));
        if (skip + top < items.size()) {
            StringBuilder next = new StringBuilder(graph.baseUri() + req.path() + "?");
            q.forEach((k, v) -> {
                if (!k.equals("$skip")) {
                    next.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                            .append('&');
                }
            });
            out.put("@odata.nextLink", next.append("%24skip=").append(skip + top).toString());
        }
        return FakeResponse.json(200, Json.write(out));
    }

    @SuppressWarnings("unchecked")
    private FakeResponse send(FakeRequest req, GraphMailbox box, String subject, GraphMailbox.Message original) {
        Map<String, Object> body = req.jsonObject();
        if (body == null) {
            return FakeGraph.error(400, "RequestBodyRead", "Cannot read the request body.");
        }
        Map<String, Object> message = body.get("message") instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
        Map<String, Object> content = message.get("body") instanceof Map<?, ?> b ? (Map<String, Object>) b : null;
        if (original != null && body.get("comment") != null && content != null) {
            return FakeGraph.error(400, "ErrorInvalidRequest", "Both 'comment' and 'message.body' cannot be specified.");
        }
        if (original == null && (message.get("toRecipients") == null || content == null)) {
            return FakeGraph.error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
        }
        GraphMailbox.Message sent = new GraphMailbox.Message(box.folder("sentitems").id());
        sent.from = GraphMailbox.recipient(subject, FakeGraph.userPrincipalName(subject));
        sent.read = true;
        for (String kind : List.of("toRecipients", "ccRecipients", "bccRecipients")) {
            if (message.get(kind) instanceof List<?> list) {
                List<Map<String, Object>> target = kind.equals("toRecipients") ? sent.to : kind.equals("ccRecipients") ? sent.cc : sent.bcc;
                list.forEach(r -> target.add((Map<String, Object>) r));
            }
        }
        if (original != null) {
            sent.conversationId = original.conversationId;
            sent.subject = "RE: " + original.subject;
            if (sent.to.isEmpty()) {
                sent.to.addAll(original.replyTo.isEmpty() ? List.of(original.from) : original.replyTo);
            }
        } else {
            sent.conversationId = "AAQkAGI2" + UUID.randomUUID().toString().replace("-", "");
            sent.subject = String.valueOf(message.getOrDefault("subject", ""));
        }
        if (content != null) {
            sent.bodyType = String.valueOf(content.getOrDefault("contentType", "text")).toLowerCase();
            sent.body = String.valueOf(content.get("content"));
        } else {
            sent.bodyType = "text";
            sent.body = String.valueOf(body.getOrDefault("comment", ""));
        }
        FakeResponse refused = GraphContent.attach(sent, message);
        if (refused != null) {
            return refused;
        }
        box.messages.add(sent);
        return FakeResponse.empty(202);
    }

    /** Graph's forward (202): to the given recipients, FW: subject, the comment above the original, in its conversation. */
    @SuppressWarnings("unchecked")
    private FakeResponse forward(FakeRequest req, GraphMailbox box, String subject, GraphMailbox.Message original) {
        Map<String, Object> body = req.jsonObject();
        Map<String, Object> message = body != null && body.get("message") instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
        Object to = message.get("toRecipients") != null ? message.get("toRecipients") : body == null ? null : body.get("toRecipients");
        if (!(to instanceof List<?> recipients) || recipients.isEmpty()) {
            return FakeGraph.error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
        }
        GraphMailbox.Message sent = new GraphMailbox.Message(box.folder("sentitems").id());
        sent.from = GraphMailbox.recipient(subject, FakeGraph.userPrincipalName(subject));
        sent.read = true;
        recipients.forEach(r -> sent.to.add((Map<String, Object>) r));
        compose(sent, Map.of("ccRecipients", message.getOrDefault("ccRecipients", List.of()),
                "bccRecipients", message.getOrDefault("bccRecipients", List.of())));
        sent.conversationId = original.conversationId;
        sent.subject = "FW: " + original.subject;
        sent.bodyType = "html";
        sent.body = String.valueOf(body.getOrDefault("comment", "")) + "<hr>" + original.body;
        original.attachments.forEach(a -> sent.attachments.add(new LinkedHashMap<>(a))); // a forward carries the original's files
        FakeResponse refused = GraphContent.attach(sent, message);
        if (refused != null) {
            return refused;
        }
        box.messages.add(sent);
        return FakeResponse.empty(202);
    }

    /** A new draft in Drafts (201): from the request's message, or Graph's reply draft to {@code original}. */
    private FakeResponse draft(FakeRequest req, GraphMailbox box, String subject, GraphMailbox.Message original, boolean immutable) {
        Map<String, Object> body = req.jsonObject();
        GraphMailbox.Message d = new GraphMailbox.Message(box.folder("drafts").id());
        d.draft = true;
        d.read = true;
        d.from = GraphMailbox.recipient(subject, FakeGraph.userPrincipalName(subject));
        if (original != null) {
            d.conversationId = original.conversationId;
            d.subject = "RE: " + original.subject;
            d.to.addAll(original.replyTo.isEmpty() ? List.of(original.from) : original.replyTo);
        } else {
            d.conversationId = "AAQkAGI2" + UUID.randomUUID().toString().replace("-", "");
            d.subject = "";
        }
        if (body != null) {
            compose(d, body.get("message") instanceof Map<?, ?> inner ? cast(inner) : body);
            FakeResponse refused = GraphContent.attach(d, body.get("message") instanceof Map<?, ?> inner ? cast(inner) : body);
            if (refused != null) {
                return refused;
            }
        }
        box.messages.add(d);
        return FakeResponse.json(201, Json.write(json(d, immutable, null)));
    }

    /** A draft's members as a message JSON states them (those present). */
    @SuppressWarnings("unchecked")
    private static void compose(GraphMailbox.Message d, Map<String, Object> message) {
        if (message.get("subject") instanceof String title) {
            d.subject = title;
        }
        if (message.get("body") instanceof Map<?, ?> content) {
            d.bodyType = String.valueOf(((Map<String, Object>) content).getOrDefault("contentType", "text")).toLowerCase();
            d.body = String.valueOf(content.get("content"));
        }
        for (String kind : List.of("toRecipients", "ccRecipients", "bccRecipients")) {
            if (message.get(kind) instanceof List<?> list) {
                List<Map<String, Object>> target = kind.equals("toRecipients") ? d.to : kind.equals("ccRecipients") ? d.cc : d.bcc;
                target.clear();
                list.forEach(r -> target.add((Map<String, Object>) r));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    static Map<String, Object> folder(GraphMailbox.Folder f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.id());
        out.put("displayName", f.name());
        out.put("parentFolderId", f.parentId());
        out.put("childFolderCount", 0);
        out.put("unreadItemCount", 0);
        out.put("totalItemCount", 0);
        out.put("isHidden", false);
        return out;
    }

    /** A message as Graph writes it, its body as stored or ({@code bodyType} "text") as text. */
    static Map<String, Object> json(GraphMailbox.Message m, boolean immutable, String bodyType) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", immutable ? m.immutableId : m.restId);
        out.put("receivedDateTime", m.received.toString().replaceAll("\\.\\d+Z$", "Z"));
        out.put("hasAttachments", !m.attachments.isEmpty());
        out.put("internetMessageId", m.internetMessageId);
        out.put("subject", m.subject);
        out.put("bodyPreview", preview(m.body));
        out.put("parentFolderId", m.folderId);
        out.put("conversationId", m.conversationId);
        out.put("isRead", m.read);
        out.put("isDraft", m.draft);
        out.put("from", m.from);
        out.put("toRecipients", m.to);
        out.put("ccRecipients", m.cc);
        out.put("bccRecipients", m.bcc);
        out.put("replyTo", m.replyTo);
        out.put("flag", Map.of("flagStatus", m.flagged ? "flagged" : "notFlagged"));
        out.put("body", Map.of("contentType", bodyType == null ? m.bodyType : bodyType,
                "content", "text".equals(bodyType) && m.bodyType.equals("html") ? preview(m.body) : m.body));
        return out;
    }

    private static String preview(String body) {
        String text = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return text.length() > 255 ? text.substring(0, 255) : text;
    }

    static Object address(Map<String, Object> recipient) {
        return recipient == null ? null : ((Map<?, ?>) recipient.get("emailAddress")).get("address");
    }

    /** {@code $select}: only the named properties, and the id. */
    private static Map<String, Object> select(Map<String, Object> item, FakeRequest req) {
        String select = req.queryParams().get("$select");
        if (select != null) {
            List<String> keep = new ArrayList<>(List.of(select.split(",")));
            keep.add("id");
            item.keySet().retainAll(keep);
        }
        return item;
    }
}
