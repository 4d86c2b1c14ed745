package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.mailbox.api.MailboxPush;
import io.switchboard.core.mailbox.api.Mailboxes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code POST /v1/push/{connector}}: where providers send change notifications (public, as they
 * call it without credentials; each notification proves itself with its subscription's
 * {@code clientState}). The provider's check of the URL is answered by echoing its token as
 * text; a delivery is answered 202 at once, having only woken the accounts' sync runs.
 */
@Component(service = PushResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("v1/push")
public class PushResource {
    private final MailSync sync;
    private final Mailboxes mailboxes;

    @Activate
    public PushResource(@Reference MailSync sync, @Reference Mailboxes mailboxes) {
        this.sync = sync;
        this.mailboxes = mailboxes;
    }

    @POST
    @Path("{connector}")
    @Consumes(MediaType.WILDCARD)
    public Response receive(@PathParam("connector") String connector, @Context UriInfo uri, String body) {
        MailboxPush push = connector.matches("[a-z0-9._-]{1,64}") ? mailboxes.push(connector).orElse(null) : null;
        if (push == null) {
            throw ProblemException.notFound("no connector with push notifications is installed under this name");
        }
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        String token = push.validationToken(query);
        if (token != null) {
            if (token.length() > 4096 || token.chars().anyMatch(Character::isISOControl)) {
                throw ProblemException.badRequest("not a validation token");
            }
            return Response.ok(token, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).header("X-Content-Type-Options", "nosniff").build();
        }
        Map<String, Object> notices;
        try {
            notices = body == null || body.isBlank() ? Map.of() : SyncRecords.read(body);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("a delivery of notifications is a JSON object");
        }
        List<MailboxPush.Notice> list = push.notices(notices);
        sync.push().receive(list, sync::wake);
        return Response.accepted().build();
    }
}
