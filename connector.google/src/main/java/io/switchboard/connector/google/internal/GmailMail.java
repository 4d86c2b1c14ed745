package io.switchboard.connector.google.internal;

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
import io.switchboard.core.mailbox.api.OutgoingAttachment;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import io.switchboard.core.mailbox.api.SentMessage;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified mailbox over the Gmail API v1. Labels are the folders (the system ones by their
 * kind). A list answers only ids, so each message of a page is read again as {@code metadata};
 * the filters become Gmail search operators ({@code is:unread}, {@code from:}, {@code after:} and
 * {@code before:} in epoch seconds) before the app's own {@code q}. One message is read as
 * {@code full} and its MIME tree walked for the text and HTML bodies (base64url) and the
 * attachments. Sending writes the message as RFC 5322; a reply also names the original's
 * {@code threadId}, {@code In-Reply-To}, {@code References} and keeps its subject, which is what
 * Gmail needs to put it in the same thread. Marking and moving change labels ({@code UNREAD},
 * {@code STARRED}, the target's label in place of {@code INBOX}); deleting is {@code trash}.
 */
@Component(service = MailboxConnector.class, property = Connector.ID + "=google")
public class GmailMail implements MailboxConnector {
    static final String API = "/gmail/v1/users/me";
    /** The unified well-known kinds and Gmail's system labels (Gmail has no archive label: archived is "not in INBOX"). */
    static final Map<String, String> WELL_KNOWN = Map.of("inbox", "INBOX", "sent", "SENT", "drafts", "DRAFT", "trash", "TRASH", "spam", "SPAM");
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final List<String> ENVELOPE_HEADERS = List.of("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Message-ID");

    @Override
    public List<MailFolder> folders(MailboxHttp http) throws ProviderRefusal, IOException {
        Map<String, Object> answer = http.object(http.send("GET", API + "/labels", Map.of(), null));
        List<MailFolder> out = new ArrayList<>();
        for (Map<String, Object> l : JsonValues.objects(answer.get("labels"))) {
            String id = String.valueOf(l.get("id"));
            String kind = WELL_KNOWN.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).findFirst()
                    .orElse("user".equals(l.get("type")) ? "label" : "system");
            out.add(new MailFolder(id, JsonValues.string(l.get("name")), kind, null, null, null, l));
        }
        return out;
    }

    @Override
    public MessagePage messages(MailboxHttp http, MessageQuery query) throws ProviderRefusal, IOException {
        StringBuilder request = new StringBuilder(API + "/messages?maxResults=" + query.limit());
        if (query.folderId() != null) {
            if (query.folderId().equals("archive")) {
                throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "Gmail has no archive folder: archived mail is mail without "
                        + "the INBOX label (q=-in:inbox)", null);
            }
            request.append("&labelIds=").append(UrlParts.encode(WELL_KNOWN.getOrDefault(query.folderId(), query.folderId())));
        }
        List<String> q = new ArrayList<>();
        if (query.unread() != null) {
            q.add(query.unread() ? "is:unread" : "is:read");
        }
        if (query.from() != null) {
            q.add("from:" + query.from());
        }
        if (query.after() != null) {
            q.add("after:" + query.after().getEpochSecond());
        }
        if (query.before() != null) {
            q.add("before:" + query.before().getEpochSecond());
        }
        if (query.search() != null) {
            q.add(query.search());
        }
        if (!q.isEmpty()) {
            request.append("&q=").append(UrlParts.encode(String.join(" ", q)));
        }
        if (query.next() != null) {
            request.append("&pageToken=").append(UrlParts.encode(query.next()));
        }
        Map<String, Object> page = http.object(http.send("GET", request.toString(), Map.of(), null));
        List<MailMessage> messages = new ArrayList<>();
        for (Map<String, Object> ref : JsonValues.objects(page.get("messages"))) {
            messages.add(Gmail.message(http.object(envelope(http, String.valueOf(ref.get("id")))), null, null, List.of()));
        }
        return new MessagePage(messages, JsonValues.string(page.get("nextPageToken")));
    }

    /** A message read as {@code metadata}: labels, snippet, dates and the envelope's headers. */
    static Upstream.Response envelope(MailboxHttp http, String id) throws IOException {
        StringBuilder request = new StringBuilder(API + "/messages/" + UrlParts.encode(id) + "?format=metadata");
        ENVELOPE_HEADERS.forEach(h -> request.append("&metadataHeaders=").append(h));
        return http.send("GET", request.toString(), Map.of(), null);
    }

    /**
     * What the offline index keeps of a message, read as {@code full} without the parts' data
     * ({@code fields}): labels, snippet, dates, headers and the parts' names, types and sizes.
     */
    static Upstream.Response indexed(MailboxHttp http, String id) throws IOException {
        return http.send("GET", API + "/messages/" + UrlParts.encode(id) + "?format=full&fields=" + UrlParts.encode(INDEXED_FIELDS), Map.of(), null);
    }

    /** The parts' fields the index reads, three levels deep (a mixed message with an alternative inside, and its attachments). */
    private static final String PART = "partId,mimeType,filename,headers,body(size,attachmentId)";
    static final String INDEXED_FIELDS = "id,threadId,labelIds,snippet,historyId,internalDate,sizeEstimate,payload(" + PART + ",parts(" + PART
            + ",parts(" + PART + ",parts(" + PART + "))))";

    /** A message read by {@link #indexed}: its envelope and attachments, no bodies. */
    static MailMessage withoutBodies(Map<String, Object> m) {
        List<MailAttachment> attachments = new ArrayList<>();
        if (m.get("payload") instanceof Map<?, ?> payload) {
            walk(payload, new String[2], attachments);
        }
        return Gmail.message(m, null, null, attachments);
    }

    @Override
    public MailMessage message(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        Map<String, Object> m = http.object(http.send("GET", API + "/messages/" + UrlParts.encode(id) + "?format=full", Map.of(), null));
        String[] bodies = new String[2];
        List<MailAttachment> attachments = new ArrayList<>();
        if (m.get("payload") instanceof Map<?, ?> payload) {
            walk(payload, bodies, attachments);
        }
        return Gmail.message(m, bodies[0], bodies[1], attachments);
    }

    /** The first text/plain and text/html parts that are not attachments, and the attachments. */
    private static void walk(Map<?, ?> part, String[] bodies, List<MailAttachment> attachments) {
        if (part.get("parts") instanceof List<?> parts && !parts.isEmpty()) {
            for (Object p : parts) {
                if (p instanceof Map<?, ?> child) {
                    walk(child, bodies, attachments);
                }
            }
            return;
        }
        Map<?, ?> body = part.get("body") instanceof Map<?, ?> b ? b : Map.of();
        String filename = JsonValues.string(part.get("filename"));
        String type = String.valueOf(part.get("mimeType")).toLowerCase();
        if ((filename == null || filename.isEmpty()) && body.get("data") instanceof String data && type.startsWith("text/")) {
            int slot = type.equals("text/plain") ? 0 : type.equals("text/html") ? 1 : -1;
            if (slot >= 0 && bodies[slot] == null) {
                bodies[slot] = new String(Base64.getUrlDecoder().decode(data.replace("=", "")), StandardCharsets.UTF_8);
            }
        } else if (body.get("attachmentId") instanceof String) {
            String disposition = Gmail.header(part, "Content-Disposition");
            attachments.add(new MailAttachment(String.valueOf(part.get("partId")), filename, type,
                    body.get("size") instanceof Number n ? n.longValue() : 0, disposition != null && disposition.toLowerCase().startsWith("inline")));
        }
    }

    /**
     * The attachment's part (its unified id is the part's {@code partId}: Gmail's own attachment
     * ids are not stable between reads), then its {@code data} decoded as it arrives.
     */
    @Override
    public MailContent attachment(MailboxHttp http, String messageId, String attachmentId) throws ProviderRefusal, IOException {
        Map<String, Object> m = http.object(http.send("GET", API + "/messages/" + UrlParts.encode(messageId) + "?format=full&fields=payload",
                Map.of(), null));
        return download(http, messageId, m, attachmentId);
    }

    /** An attachment of a message already read as {@code full} ({@code m}): its part's data, decoded as it arrives. */
    static MailContent download(MailboxHttp http, String messageId, Map<?, ?> m, String attachmentId) throws ProviderRefusal, IOException {
        String path = API + "/messages/" + UrlParts.encode(messageId);
        Map<?, ?> part = m.get("payload") instanceof Map<?, ?> payload ? part(payload, attachmentId) : null;
        Map<?, ?> body = part != null && part.get("body") instanceof Map<?, ?> b ? b : Map.of();
        if (!(body.get("attachmentId") instanceof String gmailId)) {
            throw new ProviderRefusal(ProviderRefusal.Kind.NOT_FOUND, 404, "the message has no attachment " + attachmentId, null);
        }
        return http.downloadBase64Member(path + "/attachments/" + UrlParts.encode(gmailId), "data", String.valueOf(part.get("mimeType")),
                JsonValues.string(part.get("filename")), body.get("size") instanceof Number n ? n.longValue() : -1);
    }

    private static Map<?, ?> part(Map<?, ?> part, String partId) {
        if (partId.equals(part.get("partId"))) {
            return part;
        }
        if (part.get("parts") instanceof List<?> parts) {
            for (Object p : parts) {
                Map<?, ?> found = p instanceof Map<?, ?> child ? part(child, partId) : null;
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Gmail's {@code format=raw}: the RFC 5322 message as base64url in {@code raw}, decoded as it arrives. */
    @Override
    public MailContent mime(MailboxHttp http, String messageId) throws ProviderRefusal, IOException {
        return http.downloadBase64Member(API + "/messages/" + UrlParts.encode(messageId) + "?format=raw", "raw", "message/rfc822", null, -1);
    }

    @Override
    public SentMessage send(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException {
        Map<String, Object> sent = http.object(http.send("POST", API + "/messages/send", JSON, http.write(gmailMessage(http, message))));
        return new SentMessage(JsonValues.string(sent.get("id")), JsonValues.string(sent.get("threadId")));
    }

    /**
     * Gmail has no forward call: a new message titled {@code Fwd: <subject>} in the original's thread
     * (threading headers), the note then the original's text quoted below a forward header.
     */
    @Override
    public SentMessage forward(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException {
        MailMessage original = message(http, id);
        String subject = original.subject() == null ? "" : original.subject();
        String title = subject.matches("(?i)^fwd?:.*") ? subject : "Fwd: " + subject;
        String header = "---------- Forwarded message ---------\nFrom: " + (original.from() == null ? "" : original.from().address())
                + "\nSubject: " + subject + "\n\n";
        String quoted = original.textBody() != null ? original.textBody() : original.htmlBody() == null ? "" : original.htmlBody().replaceAll("<[^>]*>", "");
        String text = (message.text() == null ? "" : message.text()) + "\n\n" + header + quoted;
        String html = message.html() == null ? null : message.html() + "<br><br><div>" + header.replace("\n", "<br>")
                + (original.htmlBody() != null ? original.htmlBody() : quoted) + "</div>";
        String messageId = original.internetMessageId();
        String mime = Rfc5322.write(new OutgoingMessage(message.to(), message.cc(), message.bcc(), title, text, html, null,
                GmailFiles.forwarded(http, id, original, message)), title, messageId, messageId);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("threadId", original.threadId());
        request.put("raw", Base64.getUrlEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> sent = http.object(http.send("POST", API + "/messages/send", JSON, http.write(request)));
        return new SentMessage(JsonValues.string(sent.get("id")), JsonValues.string(sent.get("threadId")));
    }

    /** The draft written again with the file, through Gmail's upload endpoint ({@link GmailFiles}). */
    @Override
    public AttachedFile attach(MailboxHttp http, String draftId, IncomingFile file) throws ProviderRefusal, IOException {
        return GmailFiles.attach(this, http, draftId, file);
    }

    @Override
    public Draft createDraft(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException {
        return draft(http.object(http.send("POST", API + "/drafts", JSON, http.write(Map.of("message", gmailMessage(http, message))))));
    }

    /** Gmail replaces the draft's message (its message id changes). */
    @Override
    public Draft updateDraft(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException {
        return draft(http.object(http.send("PUT", API + "/drafts/" + UrlParts.encode(id), JSON, http.write(Map.of("id", id, "message",
                gmailMessage(http, message))))));
    }

    @Override
    public SentMessage sendDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        Map<String, Object> sent = http.object(http.send("POST", API + "/drafts/send", JSON, http.write(Map.of("id", id))));
        return new SentMessage(JsonValues.string(sent.get("id")), JsonValues.string(sent.get("threadId")));
    }

    /** Drafts are deleted for good (not to the trash), as Gmail does. */
    @Override
    public void deleteDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("DELETE", API + "/drafts/" + UrlParts.encode(id), Map.of(), null));
    }

    private static Draft draft(Map<String, Object> d) {
        Map<?, ?> message = d.get("message") instanceof Map<?, ?> m ? m : Map.of();
        return new Draft(String.valueOf(d.get("id")), JsonValues.string(message.get("id")), JsonValues.string(message.get("threadId")));
    }

    /**
     * A Gmail message resource {@code {raw, threadId?}}: the message as RFC 5322; a reply names the
     * original's thread, answers its {@code Message-ID} in {@code In-Reply-To} and {@code References},
     * keeps its subject ({@code Re: }) and, without recipients, goes to its Reply-To or sender.
     */
    private static Map<String, Object> gmailMessage(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        String mime;
        if (message.inReplyTo() == null) {
            mime = Rfc5322.write(message, message.subject(), null, null);
        } else {
            StringBuilder headers = new StringBuilder("?format=metadata");
            List.of("Subject", "Message-ID", "References", "From", "Reply-To").forEach(h -> headers.append("&metadataHeaders=").append(h));
            Map<String, Object> original = http.object(http.send("GET", API + "/messages/" + UrlParts.encode(message.inReplyTo()) + headers, Map.of(), null));
            Map<?, ?> payload = original.get("payload") instanceof Map<?, ?> p ? p : Map.of();
            String messageId = Gmail.header(payload, "Message-ID");
            String references = Gmail.header(payload, "References");
            String subject = Gmail.header(payload, "Subject");
            List<MailAddress> to = message.to();
            if (to.isEmpty()) {
                to = Rfc5322.addresses(Gmail.header(payload, "Reply-To"));
                to = to.isEmpty() ? Rfc5322.addresses(Gmail.header(payload, "From")) : to;
            }
            String title = message.subject() != null ? message.subject()
                    : subject == null ? "Re:" : subject.matches("(?i)^re:.*") ? subject : "Re: " + subject;
            mime = Rfc5322.write(new OutgoingMessage(to, message.cc(), message.bcc(), title, message.text(), message.html(), null), title,
                    messageId, messageId == null ? references : (references == null ? "" : references + " ") + messageId);
            request.put("threadId", original.get("threadId"));
        }
        request.put("raw", Base64.getUrlEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)));
        return request;
    }

    @Override
    public void mark(MailboxHttp http, String id, Boolean unread, Boolean flagged) throws ProviderRefusal, IOException {
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        if (unread != null) {
            (unread ? add : remove).add("UNREAD");
        }
        if (flagged != null) {
            (flagged ? add : remove).add("STARRED");
        }
        modify(http, id, add, remove);
    }

    /** Trash is Gmail's trash; archive removes INBOX; any other folder's label is added and INBOX removed. */
    @Override
    public void move(MailboxHttp http, String id, String folder) throws ProviderRefusal, IOException {
        if (folder.equals("trash") || folder.equals("TRASH")) {
            delete(http, id);
        } else if (folder.equals("archive")) {
            modify(http, id, List.of(), List.of("INBOX"));
        } else {
            String label = WELL_KNOWN.getOrDefault(folder, folder);
            modify(http, id, List.of(label), label.equals("INBOX") ? List.of("TRASH", "SPAM") : List.of("INBOX"));
        }
    }

    /** To Gmail's trash ({@code messages.trash}); a permanent delete needs the full-mail scope and is not offered. */
    @Override
    public void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("POST", API + "/messages/" + UrlParts.encode(id) + "/trash", Map.of(), null));
    }

    private static void modify(MailboxHttp http, String id, List<String> add, List<String> remove) throws ProviderRefusal, IOException {
        http.object(http.send("POST", API + "/messages/" + UrlParts.encode(id) + "/modify", JSON,
                http.write(Map.of("addLabelIds", add, "removeLabelIds", remove))));
    }


    /** Reading Gmail's JSON. */
    static final class Gmail {
        private Gmail() {
        }

        static MailMessage message(Map<String, Object> m, String text, String html, List<MailAttachment> attachments) {
            Map<?, ?> payload = m.get("payload") instanceof Map<?, ?> p ? p : Map.of();
            List<String> labels = m.get("labelIds") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            Object date = m.get("internalDate");
            Instant received = date != null && String.valueOf(date).matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(String.valueOf(date)))
                    : null;
            return new MailMessage(String.valueOf(m.get("id")), JsonValues.string(m.get("threadId")), labels, header(payload, "Message-ID"),
                    Rfc5322.address(header(payload, "From")), Rfc5322.addresses(header(payload, "To")), Rfc5322.addresses(header(payload, "Cc")),
                    Rfc5322.addresses(header(payload, "Bcc")), Rfc5322.addresses(header(payload, "Reply-To")), header(payload, "Subject"),
                    JsonValues.string(m.get("snippet")), received, labels.contains("UNREAD"), labels.contains("STARRED"), labels.contains("DRAFT"), text, html,
                    attachments, m);
        }

        static String header(Map<?, ?> part, String name) {
            if (part.get("headers") instanceof List<?> headers) {
                for (Object h : headers) {
                    if (h instanceof Map<?, ?> header && name.equalsIgnoreCase(String.valueOf(header.get("name")))) {
                        return JsonValues.string(header.get("value"));
                    }
                }
            }
            return null;
        }
    }
}
