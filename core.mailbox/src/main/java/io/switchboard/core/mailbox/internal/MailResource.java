package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.mailbox.api.AttachedFile;
import io.switchboard.core.mailbox.api.IncomingFile;
import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.MailContent;
import io.switchboard.core.mailbox.api.MailFolder;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MessagePage;
import io.switchboard.core.mailbox.api.MessageQuery;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import io.switchboard.core.mailbox.api.SentMessage;
import io.switchboard.core.api.util.Cursors;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/mail/{accountId}/...}: the same JSON whatever the provider. Folders and labels are
 * one list; messages are listed newest first with an opaque cursor and read one at a time with
 * their bodies; sending answers 202 (the provider accepted it), and a reply stays in its thread.
 */
@Component(service = MailResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@SessionRequired
@Path("v1/mail")
@Produces(MediaType.APPLICATION_JSON)
public class MailResource {
    private static final String ID = "[A-Za-z0-9._=+/-]{1,400}";
    private static final int MAX_RECIPIENTS = 500;

    private final MailboxService mail;

    @Activate
    public MailResource(@Reference MailboxService mail) {
        this.mail = mail;
    }

    @GET
    @Path("{accountId}/folders")
    public Map<String, Object> folders(@Context SecurityContext security, @PathParam("accountId") String account,
                                       @QueryParam("remote") boolean remote) {
        List<MailFolder> folders = mail.run(Caller.of(security), account, (c, http) -> c.folders(http));
        return Map.of("items", folders.stream().map(f -> MailJson.folder(f, remote)).toList());
    }

    @GET
    @Path("{accountId}/messages")
    public Map<String, Object> messages(@Context SecurityContext security, @PathParam("accountId") String account,
                                        @QueryParam("folder") String folder, @QueryParam("unread") Boolean unread,
                                        @QueryParam("from") String from, @QueryParam("after") String after,
                                        @QueryParam("before") String before, @QueryParam("q") String q,
                                        @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
                                        @QueryParam("remote") boolean remote) {
        Caller caller = Caller.of(security);
        if (folder != null && !folder.matches(ID)) {
            throw ProblemException.badRequest("folder is a folder id or a well-known name (inbox, sent, drafts, trash, spam, archive)");
        }
        if (from != null && !MailJson.isAddress(from)) {
            throw ProblemException.badRequest("from must be an email address");
        }
        if (q != null && (q.isBlank() || q.length() > 500)) {
            throw ProblemException.badRequest("q is the provider's search, 1 to 500 characters");
        }
        MessageQuery query = new MessageQuery(folder, unread, from, CalendarJson.instant("after", after), CalendarJson.instant("before", before), q,
                limit == null ? 25 : Math.max(1, Math.min(mail.maxLimit, limit)), Cursors.decode(cursor));
        MessagePage page = mail.run(caller, account, (c, http) -> c.messages(http, query));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.messages().stream().map(m -> MailJson.message(m, remote)).toList());
        out.put("cursor", Cursors.encode(page.next()));
        return out;
    }

    /** The message with its bodies; {@code ?format=mime}: the raw RFC 5322 message, streamed. */
    @GET
    @Path("{accountId}/messages/{id}")
    @Produces({MediaType.APPLICATION_JSON, "message/rfc822"})
    public Response message(@Context SecurityContext security, @PathParam("accountId") String account,
                            @PathParam("id") String id, @QueryParam("remote") boolean remote, @QueryParam("format") String format) {
        Caller caller = Caller.of(security);
        checkId(id);
        if ("mime".equals(format)) {
            MailContent mime = mail.run(caller, account, (c, http) -> c.mime(http, id));
            return stream(new MailContent("message/rfc822", id + ".eml", mime.size(), mime.body()));
        }
        if (format != null && !format.equals("json")) {
            throw ProblemException.badRequest("format is json (the default) or mime");
        }
        MailMessage message = mail.run(caller, account, (c, http) -> c.message(http, id));
        return Response.ok(MailJson.message(message, remote), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** An attachment's content, streamed from the provider (never held whole) as a download. */
    @GET
    @Path("{accountId}/messages/{id}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response attachment(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                               @PathParam("attachmentId") String attachmentId) {
        Caller caller = Caller.of(security);
        checkId(id);
        if (!attachmentId.matches(ID)) {
            throw ProblemException.badRequest("not an attachment id");
        }
        return stream(mail.run(caller, account, (c, http) -> c.attachment(http, id, attachmentId)));
    }

    /**
     * Content as a download: always {@code Content-Disposition: attachment} with its name, never
     * sniffed, and sandboxed should a browser show it anyway (it comes from a stranger's mail and
     * would otherwise run on the API's origin).
     */
    private static Response stream(MailContent content) {
        StreamingOutput body = out -> {
            try (content) {
                content.body().writeTo(out);
            }
        };
        String type = content.contentType() != null && content.contentType().matches("[\\w.+-]{1,127}/[\\w.+-]{1,127}(\\s*;.{0,200})?")
                ? content.contentType() : MediaType.APPLICATION_OCTET_STREAM;
        return Response.ok(body, type).header("Content-Disposition", MailJson.disposition(content.name()))
                .header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, no-store").build();
    }

    @POST
    @Path("{accountId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@Context SecurityContext security, @PathParam("accountId") String account, Map<String, Object> body) {
        Caller caller = Caller.of(security);
        OutgoingMessage message = outgoing(body == null ? Map.of() : body, false);
        SentMessage sent = mail.run(caller, account, (c, http) -> c.send(http, message));
        return Response.status(202).entity(MailJson.sent(sent)).build();
    }

    /** {@code {unread, flagged}}: either or both. */
    @PATCH
    @Path("{accountId}/messages/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response mark(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                         Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id);
        Map<String, Object> change = body == null ? Map.of() : body;
        if (!change.keySet().stream().allMatch(k -> k.equals("unread") || k.equals("flagged")) || change.isEmpty()
                || change.values().stream().anyMatch(v -> !(v instanceof Boolean))) {
            throw ProblemException.badRequest("a change is {unread, flagged} with true or false");
        }
        mail.run(caller, account, (c, http) -> {
            c.mark(http, id, (Boolean) change.get("unread"), (Boolean) change.get("flagged"));
            return null;
        });
        return Response.noContent().build();
    }

    /** {@code {folder}}: a folder id or a well-known kind. */
    @POST
    @Path("{accountId}/messages/{id}/move")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response move(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                         Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id);
        String folder = MailJson.text(body == null ? Map.of() : body, "folder", 400);
        if (folder == null || !folder.matches(ID)) {
            throw ProblemException.badRequest("folder is a folder id or a well-known name (inbox, sent, drafts, trash, spam, archive)");
        }
        mail.run(caller, account, (c, http) -> {
            c.move(http, id, folder);
            return null;
        });
        return Response.noContent().build();
    }

    /** To the trash, as the user's own client deletes. */
    @DELETE
    @Path("{accountId}/messages/{id}")
    public Response delete(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        checkId(id);
        mail.run(caller, account, (c, http) -> {
            c.delete(http, id);
            return null;
        });
        return Response.noContent().build();
    }

    /** {@code {to, cc, bcc, text, html}}: the message forwarded with a covering note; 202 {@code {id, threadId}}. */
    @POST
    @Path("{accountId}/messages/{id}/forward")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response forward(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                            Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id);
        Map<String, Object> fields = new LinkedHashMap<>(body == null ? Map.of() : body);
        if (fields.containsKey("inReplyTo")) {
            throw ProblemException.badRequest("a forward names its message in the path");
        }
        fields.putIfAbsent("text", "");
        OutgoingMessage message = outgoing(fields, false);
        SentMessage sent = mail.run(caller, account, (c, http) -> c.forward(http, id, message));
        return Response.status(202).entity(MailJson.sent(sent)).build();
    }

    /** Saves a draft ({@code inReplyTo}: a reply draft in its thread); 201 {@code {id, messageId, threadId}}. */
    @POST
    @Path("{accountId}/drafts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createDraft(@Context SecurityContext security, @PathParam("accountId") String account, Map<String, Object> body) {
        Caller caller = Caller.of(security);
        OutgoingMessage message = draft(body);
        return Response.status(201).entity(MailJson.draft(mail.run(caller, account, (c, http) -> c.createDraft(http, message)))).build();
    }

    @PUT
    @Path("{accountId}/drafts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateDraft(@Context SecurityContext security, @PathParam("accountId") String account,
                                           @PathParam("id") String id, Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id);
        OutgoingMessage message = draft(body);
        return MailJson.draft(mail.run(caller, account, (c, http) -> c.updateDraft(http, id, message)));
    }

    /**
     * Adds a file to a draft: the body is the file ({@code Content-Type} its type,
     * {@code Content-Length} its size, required), {@code name} its name. Its bytes go on to the
     * provider as they arrive (a streaming path of the HTTP edge, at most
     * {@code streaming.max.body.bytes}), so memory stays flat; 201 {@code {draft, attachment}}.
     */
    @POST
    @Path("{accountId}/drafts/{id}/attachments")
    @Consumes(MediaType.WILDCARD)
    public Response attach(@Context SecurityContext security, @Context javax.ws.rs.core.HttpHeaders headers,
                           @PathParam("accountId") String account, @PathParam("id") String id, @QueryParam("name") String name,
                           java.io.InputStream body) {
        Caller caller = Caller.of(security);
        checkId(id);
        if (name == null || name.isBlank() || name.length() > 255 || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw ProblemException.badRequest("name: the file's name, 1 to 255 characters without control characters");
        }
        String declared = headers.getHeaderString(javax.ws.rs.core.HttpHeaders.CONTENT_LENGTH);
        if (declared == null || !declared.matches("\\d{1,12}")) {
            throw new ProblemException(411, "length-required", "Length Required", "send the file with its Content-Length");
        }
        long size = Long.parseLong(declared);
        if (size == 0) {
            throw ProblemException.badRequest("the file is empty");
        }
        javax.ws.rs.core.MediaType type = headers.getMediaType();
        IncomingFile file = new IncomingFile(name, type == null ? null : type.toString(), size, body);
        AttachedFile added = mail.run(caller, account, (c, http) -> c.attach(http, id, file));
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("draft", MailJson.draft(added.draft()));
        out.put("attachment", MailJson.attachment(added.attachment()));
        return Response.status(201).entity(out).build();
    }

    @POST
    @Path("{accountId}/drafts/{id}/send")
    public Response sendDraft(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        checkId(id);
        SentMessage sent = mail.run(caller, account, (c, http) -> c.sendDraft(http, id));
        return Response.status(202).entity(MailJson.sent(sent)).build();
    }

    @DELETE
    @Path("{accountId}/drafts/{id}")
    public Response deleteDraft(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        checkId(id);
        mail.run(caller, account, (c, http) -> {
            c.deleteDraft(http, id);
            return null;
        });
        return Response.noContent().build();
    }

    /** A draft may lack recipients and a body for now; the rest is checked as for sending. */
    private OutgoingMessage draft(Map<String, Object> body) {
        return outgoing(body == null ? Map.of() : body, true);
    }

    private OutgoingMessage outgoing(Map<String, Object> body, boolean draft) {
        List<MailAddress> to = MailJson.addresses(body, "to");
        List<MailAddress> cc = MailJson.addresses(body, "cc");
        List<MailAddress> bcc = MailJson.addresses(body, "bcc");
        String inReplyTo = MailJson.text(body, "inReplyTo", 400);
        if (inReplyTo != null) {
            checkId(inReplyTo);
        }
        if (to.isEmpty() && inReplyTo == null && !draft) {
            throw ProblemException.badRequest("to names at least one recipient (a reply may leave it out: it goes to the sender)");
        }
        if (to.size() + cc.size() + bcc.size() > MAX_RECIPIENTS) {
            throw ProblemException.badRequest("at most " + MAX_RECIPIENTS + " recipients");
        }
        String subject = MailJson.text(body, "subject", 998);
        if (subject != null && subject.matches("(?s).*[\\r\\n].*")) {
            throw ProblemException.badRequest("subject is one line");
        }
        String text = MailJson.text(body, "text", 4 << 20);
        String html = MailJson.text(body, "html", 4 << 20);
        if (text == null && html == null) {
            if (!draft) {
                throw ProblemException.badRequest("a message needs text or html");
            }
            text = "";
        }
        return new OutgoingMessage(to, cc, bcc, subject, text, html, inReplyTo, MailJson.attachments(body, mail.maxAttachmentBytes));
    }

    private static void checkId(String id) {
        if (!id.matches(ID)) {
            throw ProblemException.badRequest("not a message id");
        }
    }

}
