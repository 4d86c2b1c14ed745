package io.switchboard.core.jobs.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.OperatorRequired;
import io.switchboard.core.store.api.AuditLog;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
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
 * {@code /admin/v1/jobs} (operator token): the runs scheduled, under way and dead, by type and
 * account; their counts; a dead run retried from its first attempt; a scheduled run cancelled.
 */
@Component(service = JobsAdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@OperatorRequired
@Path("admin/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsAdminResource {
    private final JobEngine engine;
    private final AuditLog audit;

    @Activate
    public JobsAdminResource(@Reference JobEngine engine, @Reference AuditLog audit) {
        this.engine = engine;
        this.audit = audit;
    }

    /** Runs in a state ({@code scheduled}: waiting or under way; {@code dead}), optionally of one type or account, soonest or newest first. */
    @GET
    public Map<String, Object> list(@QueryParam("state") @DefaultValue("scheduled") String state, @QueryParam("type") String type,
                                    @QueryParam("account") String account, @QueryParam("limit") @DefaultValue("100") int limit) {
        return JobViews.list(engine, state, type, account, null, limit);
    }

    /** How many runs are scheduled, under way and dead, in all and per type. */
    @GET
    @Path("counts")
    public Map<String, Object> counts() {
        return engine.rows().counts();
    }

    @POST
    @Path("dead/{type}/{key}/retry")
    public Response retry(@PathParam("type") String type, @PathParam("key") String key) {
        if (!engine.retryDead(Payload.id(type, key), null)) {
            throw new ProblemException(404, "not-found", "Not Found", "no dead run " + Payload.id(type, key));
        }
        audit.record(null, "operator", "job.retried", Payload.id(type, key), null);
        return Response.accepted(Map.of("id", Payload.id(type, key), "state", "scheduled")).build();
    }

    @DELETE
    @Path("{type}/{key}")
    public Response cancel(@PathParam("type") String type, @PathParam("key") String key) {
        if (!engine.cancel(type, key)) {
            throw new ProblemException(404, "not-found", "Not Found", "no scheduled run " + Payload.id(type, key) + " (or it is under way)");
        }
        audit.record(null, "operator", "job.cancelled", Payload.id(type, key), null);
        return Response.noContent().build();
    }
}
