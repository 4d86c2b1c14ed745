package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.DeveloperRequired;
import io.switchboard.core.store.api.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
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
 * {@code /admin/v1/apps/{app}/accounts/{id}/sync} (the app's secret): the developer's server
 * switches the offline sync of a linked mailbox on and off, sees where it stands, wakes it, and
 * reads the index's changes while the user is offline ({@code sync/messages?updatedSince=}, the
 * model of Aurinko's {@code sync/updated} and {@code sync/deleted} in one call).
 */
@org.osgi.service.metatype.annotations.Designate(ocd = MailSyncConfig.class)
@Component(service = MailSyncResource.class, configurationPid = MailSyncConfig.PID)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/accounts/{id}/sync")
@Produces(MediaType.APPLICATION_JSON)
public class MailSyncResource {
    private static final int MAX_LIMIT = 1000;

    private final MailSync sync;
    private final SyncBodies bodies;
    private final AuditLog audit;
    private final int defaultInterval;
    private final int minInterval;

    @Activate
    public MailSyncResource(@Reference MailSync sync, @Reference SyncBodies bodies, @Reference AuditLog audit, MailSyncConfig config) {
        this.sync = sync;
        this.bodies = bodies;
        this.audit = audit;
        this.minInterval = Math.max(1, config.min_interval_seconds());
        this.defaultInterval = Math.max(minInterval, config.interval_seconds());
    }

    /**
     * {@code intervalSeconds}, {@code mail}, {@code calendar} (all optional; the interval defaults to
     * the app's connector option {@code sync.interval.seconds}, else the server's {@code interval.seconds}).
     */
    public record SyncBody(Integer intervalSeconds, Boolean mail, Boolean calendar) {}

    /** Switches the sync on (201) or sets its interval (200); the first run starts at once. */
    @PUT
    @javax.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Response enable(@PathParam("app") String app, @PathParam("id") String id, SyncBody body) {
        int interval = body == null || body.intervalSeconds() == null ? sync.appInterval(app, id).orElse(defaultInterval) : body.intervalSeconds();
        if (interval < minInterval || interval > 86_400) {
            throw new ProblemException(400, "validation", "Bad Request", "intervalSeconds must be between " + minInterval + " and 86400");
        }
        boolean created = sync.enable(app, id, Duration.ofSeconds(interval), body == null ? null : body.mail(),
                body == null ? null : body.calendar());
        if (created) {
            audit.record(app, "developer", "mailbox.sync.enabled", id, interval + " s");
        }
        return Response.status(created ? 201 : 200).entity(status(app, id)).build();
    }

    @GET
    public Map<String, Object> status(@PathParam("app") String app, @PathParam("id") String id) {
        SyncRows.Account a = synced(app, id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", a.accountId());
        out.put("ready", a.ready());
        out.put("intervalSeconds", a.intervalSeconds());
        out.put("mail", a.mail());
        out.put("calendar", a.calendar());
        out.put("messages", sync.rows().count(SyncRows.Kind.MESSAGES, id));
        out.put("events", sync.rows().count(SyncRows.Kind.EVENTS, id));
        out.put("lastRunAt", a.lastRunAt() == null ? null : a.lastRunAt().toString());
        out.put("lastError", a.lastError());
        out.put("push", sync.push().rows(id).stream().map(r -> Map.of("resource", r.resource(), "expiresAt", r.expires().toString())).toList());
        out.put("createdAt", a.createdAt().toString());
        return out;
    }

    /** Switches the sync off and drops the account's index. */
    @DELETE
    public Response disable(@PathParam("app") String app, @PathParam("id") String id) {
        synced(app, id);
        sync.disable(id);
        audit.record(app, "developer", "mailbox.sync.disabled", id, null);
        return Response.noContent().build();
    }

    /** A run now, besides the recurring ones (202). */
    @POST
    @Path("run")
    public Response wake(@PathParam("app") String app, @PathParam("id") String id) {
        synced(app, id);
        sync.wake(app, id);
        return Response.accepted(Map.of("account", id)).build();
    }

    /**
     * The index's message changes after {@code updatedSince} (from the start without it), oldest
     * first: {@code changed} records, {@code deleted} ids, {@code next} (the token for the next
     * call) and {@code more} (call again at once). While {@code ready} is false the first full sync
     * is still under way.
     */
    @GET
    @Path("messages")
    public Map<String, Object> messages(@PathParam("app") String app, @PathParam("id") String id, @QueryParam("updatedSince") String since,
                                        @QueryParam("limit") @DefaultValue("200") int limit, @QueryParam("bodies") boolean withBodies) {
        Map<String, Object> out = changes(SyncRows.Kind.MESSAGES, app, id, since, limit);
        if (withBodies) { // the bodies kept for the app's chosen folders (connector option sync.bodies)
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> changed = (List<Map<String, Object>>) out.get("changed");
            Map<String, Map<String, Object>> kept = bodies.open(app, id, changed.stream().map(m -> String.valueOf(m.get("id"))).toList());
            changed.forEach(m -> m.putAll(kept.getOrDefault(String.valueOf(m.get("id")), Map.of())));
        }
        return out;
    }

    /** The same for the events of the synced calendars' windows. */
    @GET
    @Path("events")
    public Map<String, Object> events(@PathParam("app") String app, @PathParam("id") String id, @QueryParam("updatedSince") String since,
                                      @QueryParam("limit") @DefaultValue("200") int limit) {
        return changes(SyncRows.Kind.EVENTS, app, id, since, limit);
    }

    private Map<String, Object> changes(SyncRows.Kind kind, String app, String id, String since, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ProblemException(400, "validation", "Bad Request", "limit must be between 1 and " + MAX_LIMIT);
        }
        SyncRows.Account a = synced(app, id);
        SyncRecords.Position from = SyncRecords.position(since);
        if (from.seq() > 0 && from.seq() < a.purgedSeq()) {
            throw new ProblemException(410, "sync-token-expired", "Sync token expired", "deletions after this token are no longer kept "
                    + "(tombstone.retention.days): read the index again from the start, without updatedSince");
        }
        List<SyncRows.Change> changes = sync.rows().changes(kind, id, from.seq(), from.id(), limit);
        List<Map<String, Object>> changed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (SyncRows.Change c : changes) {
            if (c.deleted()) {
                deleted.add(c.id());
            } else {
                changed.add(SyncRecords.read(c.json()));
            }
        }
        SyncRows.Change last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changed", changed);
        out.put("deleted", deleted);
        out.put("next", SyncRecords.token(last == null ? from : new SyncRecords.Position(last.seq(), last.id())));
        out.put("more", changes.size() == limit);
        out.put("ready", a.ready());
        return out;
    }

    private SyncRows.Account synced(String app, String id) {
        return sync.rows().account(id).filter(a -> a.appId().equals(app)).orElseThrow(() -> new ProblemException(404, "not-synced",
                "Not synced", "the app has no synced mailbox with this account id (PUT this path to start its sync)"));
    }
}
