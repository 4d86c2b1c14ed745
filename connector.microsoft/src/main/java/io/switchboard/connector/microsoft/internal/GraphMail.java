package io.switchboard.connector.microsoft.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.mailbox.api.AttachedFile;
import io.switchboard.core.mailbox.api.Draft;
import io.switchboard.core.mailbox.api.IncomingFile;
import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.MailAttachment;
import io.switchboard.core.mailbox.api.MailContent;
import io.switchboard.core.mailbox.api.MailFolder;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxConnector;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MessagePage;
import io.switchboard.core.mailbox.api.MessageQuery;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import io.switchboard.core.mailbox.api.SentMessage;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified mailbox over Microsoft Graph v1.0. Every request asks for immutable ids
 * ({@code Prefer: IdType="ImmutableId"}, which Graph honours per request), so a message keeps
 * its id when it moves. Lists select the envelope without the body; one message is read with its
 * HTML body, its text body (a second read with {@code Prefer: outlook.body-content-type="text"})
 * and its attachments' metadata. Sending is {@code sendMail}; a reply is Graph's {@code reply},
 * which keeps the conversation and goes to the original's sender when no recipient is given;
 * both answer 202 without an id. Marking is a PATCH of {@code isRead} and {@code flag}, moving
 * Graph's {@code move}, deleting its DELETE (to Deleted Items).
 */
@Component(service = MailboxConnector.class, configurationPid = MicrosoftConfig.PID, property = Connector.ID + "=microsoft")
public class GraphMail implements MailboxConnector {
    static final Map<String, String> IMMUTABLE = Map.of("Prefer", "IdType=\"ImmutableId\"");
    /** The unified well-known kinds and Graph's well-known folder names. */
    static final Map<String, String> WELL_KNOWN = Map.of("inbox", "inbox", "sent", "sentitems", "drafts", "drafts", "trash", "deleteditems",
            "spam", "junkemail", "archive", "archive");
    static final String ENVELOPE = "id,conversationId,parentFolderId,internetMessageId,from,toRecipients,ccRecipients,"
            + "bccRecipients,replyTo,subject,bodyPreview,receivedDateTime,isRead,flag,isDraft,hasAttachments";

    private final java.util.Set<String> uploadHosts;

    @org.osgi.service.component.annotations.Activate
    public GraphMail(MicrosoftConfig config) {
        this.uploadHosts = java.util.Set.of(config.upload_hosts().toLowerCase(java.util.Locale.ROOT).trim().split("[\\s,]+"));
    }

    /** A file added to a draft (see {@link GraphUploads}); the draft keeps its id. */
    @Override
    public AttachedFile attach(MailboxHttp http, String draftId, IncomingFile file) throws ProviderRefusal, IOException {
        MailAttachment added = GraphUploads.attach(http, draftId, file, uploadHosts);
        return new AttachedFile(new Draft(draftId, draftId, null), added);
    }

    @Override
    public List<MailFolder> folders(MailboxHttp http) throws ProviderRefusal, IOException {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, String> known : WELL_KNOWN.entrySet()) {
            Upstream.Response r = http.send("GET", "/v1.0/me/mailFolders/" + known.getValue() + "?$select=id", IMMUTABLE, null);
            if (r.status() != 404) { // a mailbox may have no archive folder
                kinds.put(String.valueOf(http.object(r).get("id")), known.getKey());
            }
        }
        List<MailFolder> out = new ArrayList<>();
        String next = "/v1.0/me/mailFolders?$top=100";
        while (next != null) {
            Map<String, Object> page = http.object(http.send("GET", relative(http, next), IMMUTABLE, null));
            for (Map<String, Object> f : JsonValues.objects(page.get("value"))) {
                String id = String.valueOf(f.get("id"));
                out.add(new MailFolder(id, JsonValues.string(f.get("displayName")), kinds.getOrDefault(id, "folder"),
                        JsonValues.string(f.get("parentFolderId")), JsonValues.integer(f.get("totalItemCount")), JsonValues.integer(f.get("unreadItemCount")), f));
            }
            next = JsonValues.string(page.get("@odata.nextLink"));
        }
        return out;
    }

    @Override
    public MessagePage messages(MailboxHttp http, MessageQuery query) throws ProviderRefusal, IOException {
        String request = query.next();
        if (request == null) {
            List<String> filters = new ArrayList<>();
            if (query.unread() != null) {
                filters.add("isRead eq " + !query.unread());
            }
            if (query.from() != null) {
                filters.add("from/emailAddress/address eq '" + query.from().replace("'", "''") + "'");
            }
            if (query.after() != null) {
                filters.add("receivedDateTime ge " + query.after());
            }
            if (query.before() != null) {
                filters.add("receivedDateTime lt " + query.before());
            }
            if (query.search() != null && !filters.isEmpty()) {
                throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 0, "Microsoft Graph does not combine a search (q) with filters", null);
            }
            String folder = query.folderId() == null ? null : WELL_KNOWN.getOrDefault(query.folderId(), query.folderId());
            StringBuilder q = new StringBuilder(folder == null ? "/v1.0/me/messages" : "/v1.0/me/mailFolders/" + UrlParts.encode(folder) + "/messages")
                    .append("?$top=").append(query.limit()).append("&$select=").append(ENVELOPE);
            if (query.search() != null) {
                q.append("&$search=").append(UrlParts.encode("\"" + query.search().replace("\"", "") + "\""));
            } else {
                q.append("&$orderby=").append(UrlParts.encode("receivedDateTime desc"));
            }
            if (!filters.isEmpty()) {
                q.append("&$filter=").append(UrlParts.encode(String.join(" and ", filters)));
            }
            request = q.toString();
        }
        Map<String, Object> page = http.object(http.send("GET", relative(http, request), IMMUTABLE, null));
        List<MailMessage> messages = new ArrayList<>();
        for (Map<String, Object> m : JsonValues.objects(page.get("value"))) {
            messages.add(Graph.message(m, null, null, List.of()));
        }
        return new MessagePage(messages, JsonValues.string(page.get("@odata.nextLink")));
    }

    @Override
    public MailMessage message(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        String path = "/v1.0/me/messages/" + UrlParts.encode(id);
        Map<String, Object> m = http.object(http.send("GET", path + "?$select=" + ENVELOPE + ",body", IMMUTABLE, null));
        Map<?, ?> body = m.get("body") instanceof Map<?, ?> b ? b : Map.of();
        String html = "html".equalsIgnoreCase(String.valueOf(body.get("contentType"))) ? JsonValues.string(body.get("content")) : null;
        String text = html == null ? JsonValues.string(body.get("content")) : null;
        if (html != null) {
            Map<String, String> asText = new LinkedHashMap<>(IMMUTABLE);
            asText.put("Prefer", IMMUTABLE.get("Prefer") + ", outlook.body-content-type=\"text\"");
            Map<String, Object> plain = http.object(http.send("GET", path + "?$select=body", asText, null));
            text = plain.get("body") instanceof Map<?, ?> b ? JsonValues.string(b.get("content")) : null;
        }
        return Graph.message(m, text, html, attachments(http, m));
    }

    /** The attachments' metadata of a message read with {@code hasAttachments} (none when it has none: no call). */
    static List<MailAttachment> attachments(MailboxHttp http, Map<String, Object> m) throws ProviderRefusal, IOException {
        List<MailAttachment> attachments = new ArrayList<>();
        if (Boolean.TRUE.equals(m.get("hasAttachments"))) {
            Map<String, Object> list = http.object(http.send("GET", "/v1.0/me/messages/" + UrlParts.encode(String.valueOf(m.get("id")))
                    + "/attachments?$select=id,name,contentType,size,isInline", IMMUTABLE, null));
            for (Map<String, Object> a : JsonValues.objects(list.get("value"))) {
                attachments.add(new MailAttachment(String.valueOf(a.get("id")), JsonValues.string(a.get("name")), JsonValues.string(a.get("contentType")),
                        a.get("size") instanceof Number n ? n.longValue() : 0, Boolean.TRUE.equals(a.get("isInline"))));
            }
        }
        return attachments;
    }

    /** The attachment's name and type from its metadata ({@code $select}: no {@code contentBytes}), then its bytes from {@code $value}. */
    @Override
    public MailContent attachment(MailboxHttp http, String messageId, String attachmentId) throws ProviderRefusal, IOException {
        String path = "/v1.0/me/messages/" + UrlParts.encode(messageId) + "/attachments/" + UrlParts.encode(attachmentId);
        Map<String, Object> a = http.object(http.send("GET", path + "?$select=id,name,contentType,size", IMMUTABLE, null));
        MailContent bytes = http.download(path + "/$value", IMMUTABLE, JsonValues.string(a.get("name")));
        String type = JsonValues.string(a.get("contentType"));
        return new MailContent(type == null ? bytes.contentType() : type, bytes.name(), bytes.size(), bytes.body());
    }

    /** Graph's {@code $value} of a message: its MIME content. */
    @Override
    public MailContent mime(MailboxHttp http, String messageId) throws ProviderRefusal, IOException {
        return http.download("/v1.0/me/messages/" + UrlParts.encode(messageId) + "/$value", IMMUTABLE, null);
    }

    @Override
    public SentMessage send(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException {
        Map<String, Object> graph = graphMessage(message, false);
        if (message.inReplyTo() == null) {
            http.object(http.send("POST", "/v1.0/me/sendMail", json(), http.write(Map.of("message", graph, "saveToSentItems", true))));
            return new SentMessage(null, null);
        }
        String original = "/v1.0/me/messages/" + UrlParts.encode(message.inReplyTo());
        Object conversation = http.object(http.send("GET", original + "?$select=conversationId", IMMUTABLE, null)).get("conversationId");
        http.object(http.send("POST", original + "/reply", json(), http.write(Map.of("message", graph))));
        return new SentMessage(null, JsonValues.string(conversation));
    }

    /** Graph's {@code forward} (202): the original attached as Outlook forwards it, in its conversation, the note as {@code comment}. */
    @Override
    public SentMessage forward(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException {
        if (!message.attachments().isEmpty()) {
            throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "a forward carries the original's attachments; more are not added here", null);
        }
        String original = "/v1.0/me/messages/" + UrlParts.encode(id);
        Object conversation = http.object(http.send("GET", original + "?$select=conversationId", IMMUTABLE, null)).get("conversationId");
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("comment", message.html() != null ? message.html() : message.text());
        Map<String, Object> recipients = new LinkedHashMap<>();
        putRecipients(recipients, "toRecipients", message.to(), false);
        putRecipients(recipients, "ccRecipients", message.cc(), false);
        putRecipients(recipients, "bccRecipients", message.bcc(), false);
        forward.put("message", recipients);
        http.object(http.send("POST", original + "/forward", json(), http.write(forward)));
        return new SentMessage(null, JsonValues.string(conversation));
    }

    /** A draft in Drafts: {@code POST /me/messages}, or for a reply Graph's {@code createReply} (its thread, RE: subject, the sender) then the content. */
    @Override
    public Draft createDraft(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException {
        if (message.inReplyTo() == null) {
            return draft(http.object(http.send("POST", "/v1.0/me/messages", json(), http.write(graphMessage(message, true)))));
        }
        Map<String, Object> reply = http.object(http.send("POST", "/v1.0/me/messages/" + UrlParts.encode(message.inReplyTo()) + "/createReply", json(), "{}"));
        return patch(http, String.valueOf(reply.get("id")), graphMessage(message, false)); // no recipients given: Graph's (the sender) stay
    }

    /** The draft's content replaced, recipients too (an empty list empties them). */
    @Override
    public Draft updateDraft(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException {
        return patch(http, id, graphMessage(message, true));
    }

    private Draft patch(MailboxHttp http, String id, Map<String, Object> change) throws ProviderRefusal, IOException {
        if (change.containsKey("attachments")) { // Graph adds a draft's attachments one by one, not in a PATCH
            throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "attachments are sent with a new message or draft, not added to one here", null);
        }
        return draft(http.object(http.send("PATCH", "/v1.0/me/messages/" + UrlParts.encode(id), json(), http.write(change))));
    }

    /** Graph's {@code send} (202); with immutable ids the copy in Sent Items keeps the draft's id. */
    @Override
    public SentMessage sendDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        String path = "/v1.0/me/messages/" + UrlParts.encode(id);
        Object conversation = http.object(http.send("GET", path + "?$select=conversationId", IMMUTABLE, null)).get("conversationId");
        http.object(http.send("POST", path + "/send", IMMUTABLE, null));
        return new SentMessage(id, JsonValues.string(conversation));
    }

    /** Discarded for good ({@code permanentDelete}), as Gmail discards drafts; DELETE would keep it in Deleted Items. */
    @Override
    public void deleteDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("POST", "/v1.0/me/messages/" + UrlParts.encode(id) + "/permanentDelete", IMMUTABLE, null));
    }

    private static Draft draft(Map<String, Object> m) {
        return new Draft(String.valueOf(m.get("id")), String.valueOf(m.get("id")), JsonValues.string(m.get("conversationId")));
    }

    /** A Graph message from an outgoing one; {@code allRecipients}: empty recipient lists written too (they replace a draft's). */
    private static Map<String, Object> graphMessage(OutgoingMessage message, boolean allRecipients) {
        Map<String, Object> graph = new LinkedHashMap<>();
        if (message.subject() != null) {
            graph.put("subject", message.subject());
        }
        graph.put("body", Map.of("contentType", message.html() != null ? "HTML" : "Text", "content",
                message.html() != null ? message.html() : message.text()));
        putRecipients(graph, "toRecipients", message.to(), allRecipients);
        putRecipients(graph, "ccRecipients", message.cc(), allRecipients);
        putRecipients(graph, "bccRecipients", message.bcc(), allRecipients);
        if (!message.attachments().isEmpty()) { // file attachments in the request (up to Graph's 4 MB a request)
            graph.put("attachments", message.attachments().stream().map(a -> Map.of("@odata.type", "#microsoft.graph.fileAttachment",
                    "name", a.name(), "contentType", a.contentType(), "contentBytes", java.util.Base64.getEncoder().encodeToString(a.content()))).toList());
        }
        return graph;
    }

    @Override
    public void mark(MailboxHttp http, String id, Boolean unread, Boolean flagged) throws ProviderRefusal, IOException {
        Map<String, Object> change = new LinkedHashMap<>();
        if (unread != null) {
            change.put("isRead", !unread);
        }
        if (flagged != null) {
            change.put("flag", Map.of("flagStatus", flagged ? "flagged" : "notFlagged"));
        }
        http.object(http.send("PATCH", "/v1.0/me/messages/" + UrlParts.encode(id), json(), http.write(change)));
    }

    @Override
    public void move(MailboxHttp http, String id, String folder) throws ProviderRefusal, IOException {
        http.object(http.send("POST", "/v1.0/me/messages/" + UrlParts.encode(id) + "/move", json(),
                http.write(Map.of("destinationId", WELL_KNOWN.getOrDefault(folder, folder)))));
    }

    /** Graph's DELETE moves the message to Deleted Items (204), as Outlook does. */
    @Override
    public void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("DELETE", "/v1.0/me/messages/" + UrlParts.encode(id), IMMUTABLE, null));
    }

    /**
     * A request path, or one of Graph's {@code @odata.nextLink}s (absolute URLs) as the path below
     * the account's base URL.
     *
     * @throws ProviderRefusal a link to anywhere else (a cursor this account did not get)
     */
    static String relative(MailboxHttp http, String pathOrLink) throws ProviderRefusal {
        if (pathOrLink.startsWith("/")) {
            return pathOrLink;
        }
        if (pathOrLink.startsWith(http.baseUrl() + "/")) {
            return pathOrLink.substring(http.baseUrl().length());
        }
        throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 0, "the cursor does not belong to this account", null);
    }

    private static void putRecipients(Map<String, Object> graph, String member, List<MailAddress> addresses, boolean evenEmpty) {
        if (evenEmpty || !addresses.isEmpty()) {
            graph.put(member, addresses.stream().map(a -> Map.of("emailAddress", a.name() == null ? Map.of("address", a.address())
                    : Map.of("name", a.name(), "address", a.address()))).toList());
        }
    }

    static Map<String, String> json() {
        Map<String, String> headers = new LinkedHashMap<>(IMMUTABLE);
        headers.put("Content-Type", "application/json");
        return headers;
    }


    /** Reading Graph's JSON. */
    static final class Graph {
        private Graph() {
        }

        static MailMessage message(Map<String, Object> m, String text, String html, List<MailAttachment> attachments) {
            Map<?, ?> flag = m.get("flag") instanceof Map<?, ?> f ? f : Map.of();
            String received = JsonValues.string(m.get("receivedDateTime"));
            List<String> folders = m.get("parentFolderId") == null ? List.of() : List.of(String.valueOf(m.get("parentFolderId")));
            return new MailMessage(String.valueOf(m.get("id")), JsonValues.string(m.get("conversationId")), folders, JsonValues.string(m.get("internetMessageId")),
                    address(m.get("from")), addresses(m.get("toRecipients")), addresses(m.get("ccRecipients")), addresses(m.get("bccRecipients")),
                    addresses(m.get("replyTo")), JsonValues.string(m.get("subject")), JsonValues.string(m.get("bodyPreview")),
                    received == null ? null : Instant.parse(received), Boolean.FALSE.equals(m.get("isRead")), "flagged".equals(flag.get("flagStatus")),
                    Boolean.TRUE.equals(m.get("isDraft")), text, html, attachments, m);
        }

        static MailAddress address(Object recipient) {
            if (recipient instanceof Map<?, ?> r && r.get("emailAddress") instanceof Map<?, ?> e && e.get("address") instanceof String a) {
                return new MailAddress(JsonValues.string(e.get("name")), a);
            }
            return null;
        }

        static List<MailAddress> addresses(Object list) {
            List<MailAddress> out = new ArrayList<>();
            if (list instanceof List<?> l) {
                for (Object o : l) {
                    MailAddress a = address(o);
                    if (a != null) {
                        out.add(a);
                    }
                }
            }
            return out;
        }
    }
}
