package io.switchboard.core.rest.internal;

import io.switchboard.core.api.HealthCheck;
import io.switchboard.core.api.Switchboard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /health}: every registered {@link HealthCheck}, 200 when all are up, 503 when one
 * is down. Checks named in {@code health.required} (by default {@code database}) count as down
 * until they are registered, so a server that is still starting answers 503, never a
 * misleading 200.
 */
@Component(service = HealthResource.class, configurationPid = RestConfig.PID)
@JaxrsResource
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("health")
public class HealthResource {
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private final List<String> required;

    @Activate
    public HealthResource(RestConfig config) {
        this.required = List.of(config.health_required());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(HealthCheck check) {
        checks.add(check);
    }

    void removeCheck(HealthCheck check) {
        checks.remove(check);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck check : checks) {
            HealthCheck.Status status;
            try {
                status = check.check();
            } catch (RuntimeException e) {
                status = HealthCheck.Status.down("check failed: " + e.getClass().getSimpleName());
            }
            up &= status.up();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", status.up() ? "UP" : "DOWN");
            if (status.detail() != null) {
                entry.put("detail", status.detail());
            }
            results.put(check.name(), entry);
        }
        for (String name : required) {
            if (!results.containsKey(name)) {
                up = false;
                results.put(name, Map.of("status", "DOWN", "detail", "not started"));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", results);
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(up ? 200 : 503).entity(body).cacheControl(noStore).build();
    }
}
