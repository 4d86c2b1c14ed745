package io.switchboard.core.webhooks.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.DeveloperRequired;
import io.switchboard.core.store.api.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /admin/v1/apps/{app}/webhooks} (the app's secret): the developer's endpoints, their
 * signing secrets (shown once, at creation and rotation), test events, the delivery log and replays.
 */
@Component(service = WebhooksResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhooksResource {
    private final WebhookService webhooks;
    private final AuditLog audit;

    @Activate
    public WebhooksResource(@Reference WebhookService webhooks, @Reference AuditLog audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }

    /** {url, events, description, enabled}. */
    public record EndpointBody(String url, List<String> events, String description, Boolean enabled) {}

    @POST
    public Response create(@PathParam("app") String app, EndpointBody body) {
        if (body == null) {
            throw ProblemException.badRequest("send {url, events, description, enabled}");
        }
        Map<String, Object> created = webhooks.create(app, body.url(), body.events(), body.description(),
                body.enabled() == null || body.enabled());
        audit.record(app, "developer", "webhook.created", (String) created.get("id"), body.url());
        return Response.status(201).entity(created).build();
    }

    @GET
    public Map<String, Object> list(@PathParam("app") String app) {
        return Map.of("items", webhooks.rows().endpoints(app).stream().map(WebhookViews::endpoint).toList());
    }

    /** The app's latest events (what its endpoints were sent or would have been), newest first. */
    @GET
    @Path("events")
    public Map<String, Object> events(@PathParam("app") String app, @QueryParam("type") String type,
                                      @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("limit must be between 1 and 500");
        }
        return Map.of("items", webhooks.rows().events(app, type, limit).stream().map(WebhookViews::event).toList());
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("app") String app, @PathParam("id") String id) {
        return WebhookViews.endpoint(webhooks.endpoint(app, id));
    }

    @PATCH
    @Path("{id}")
    public Map<String, Object> update(@PathParam("app") String app, @PathParam("id") String id, EndpointBody body) {
        if (body == null) {
            throw ProblemException.badRequest("send the members to change: url, events, description, enabled");
        }
        Map<String, Object> out = WebhookViews.endpoint(webhooks.update(app, id, body.url(), body.events(), body.description(), body.enabled()));
        audit.record(app, "developer", "webhook.updated", id, null);
        return out;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("app") String app, @PathParam("id") String id) {
        if (!webhooks.rows().delete(app, id)) {
            throw ProblemException.notFound("no such endpoint");
        }
        audit.record(app, "developer", "webhook.deleted", id, null);
        return Response.noContent().build();
    }

    /** {overlapSeconds} (default a day): the old secret keeps signing beside the new one that long. */
    public record RotateBody(Long overlapSeconds) {}

    @POST
    @Path("{id}/rotate-secret")
    public Map<String, Object> rotate(@PathParam("app") String app, @PathParam("id") String id, RotateBody body) {
        long overlap = body == null || body.overlapSeconds() == null ? Duration.ofDays(1).toSeconds() : body.overlapSeconds();
        if (overlap < 0 || overlap > Duration.ofDays(7).toSeconds()) {
            throw ProblemException.badRequest("overlapSeconds is between 0 and 604800 (7 days)");
        }
        String secret = webhooks.rotate(app, id, Duration.ofSeconds(overlap));
        audit.record(app, "developer", "webhook.secret.rotated", id, "overlap " + overlap + " s");
        Map<String, Object> out = WebhookViews.endpoint(webhooks.endpoint(app, id));
        out.put("secret", secret);
        return out;
    }

    /** Sends a {@code webhook.test} event to this endpoint alone. */
    @POST
    @Path("{id}/test")
    public Response test(@PathParam("app") String app, @PathParam("id") String id) {
        WebhookRows.Delivery d = webhooks.sendTo(webhooks.endpoint(app, id), "webhook.test", Map.of("endpoint", id));
        return Response.accepted(WebhookViews.delivery(d, null)).build();
    }

    @GET
    @Path("{id}/deliveries")
    public Map<String, Object> deliveries(@PathParam("app") String app, @PathParam("id") String id, @QueryParam("state") String state,
                                          @QueryParam("limit") @DefaultValue("50") int limit) {
        webhooks.endpoint(app, id);
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("limit must be between 1 and 500");
        }
        return Map.of("items", webhooks.rows().deliveries(id, state, null, limit).stream()
                .map(d -> WebhookViews.delivery(d, webhooks.rows().attempts(d.id()))).toList());
    }

    /** The same event (same {@code webhook-id} and body) sent again to this endpoint as a new delivery. */
    @POST
    @Path("{id}/deliveries/{delivery}/replay")
    public Response replay(@PathParam("app") String app, @PathParam("id") String id, @PathParam("delivery") String deliveryId) {
        WebhookRows.Endpoint endpoint = webhooks.endpoint(app, id);
        WebhookRows.Delivery earlier = webhooks.rows().delivery(deliveryId).filter(d -> d.endpointId().equals(id))
                .orElseThrow(() -> ProblemException.notFound("no such delivery"));
        return Response.accepted(WebhookViews.delivery(webhooks.deliver(endpoint, earlier.eventId()), null)).build();
    }

    /** {since}: every failed delivery of this endpoint since then, sent again. */
    public record ReplayBody(String since) {}

    @POST
    @Path("{id}/replay")
    public Map<String, Object> replayFailed(@PathParam("app") String app, @PathParam("id") String id, ReplayBody body) {
        WebhookRows.Endpoint endpoint = webhooks.endpoint(app, id);
        Instant since;
        try {
            since = Instant.parse(body == null || body.since() == null ? "" : body.since());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("since is an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
        int count = 0;
        for (WebhookRows.Delivery failed : webhooks.rows().deliveries(id, "failed", since, 10_000)) {
            webhooks.deliver(endpoint, failed.eventId());
            count++;
        }
        audit.record(app, "developer", "webhook.replayed", id, count + " deliveries since " + since);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replayed", count);
        return out;
    }
}
