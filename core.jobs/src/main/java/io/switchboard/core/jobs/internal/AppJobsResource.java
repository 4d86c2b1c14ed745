package io.switchboard.core.jobs.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.DeveloperRequired;
import io.switchboard.core.store.api.AuditLog;
import java.util.Map;
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
 * {@code /admin/v1/apps/{app}/jobs} (the app's secret): the developer sees the runs done for their
 * app (its webhook deliveries, its accounts' syncs) and retries its dead ones; other apps' runs
 * are not there.
 */
@Component(service = AppJobsResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class AppJobsResource {
    private final JobEngine engine;
    private final AuditLog audit;

    @Activate
    public AppJobsResource(@Reference JobEngine engine, @Reference AuditLog audit) {
        this.engine = engine;
        this.audit = audit;
    }

    @GET
    public Map<String, Object> list(@PathParam("app") String app, @QueryParam("state") @DefaultValue("scheduled") String state,
                                    @QueryParam("type") String type, @QueryParam("account") String account,
                                    @QueryParam("limit") @DefaultValue("100") int limit) {
        return JobViews.list(engine, state, type, account, app, limit);
    }

    @POST
    @Path("dead/{type}/{key}/retry")
    public Response retry(@PathParam("app") String app, @PathParam("type") String type, @PathParam("key") String key) {
        if (!engine.retryDead(Payload.id(type, key), app)) {
            throw new ProblemException(404, "not-found", "Not Found", "no dead run " + Payload.id(type, key) + " of this app");
        }
        audit.record(app, "developer", "job.retried", Payload.id(type, key), null);
        return Response.accepted(Map.of("id", Payload.id(type, key), "state", "scheduled")).build();
    }
}
