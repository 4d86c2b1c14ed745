package io.switchboard.core.metrics.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.OperatorRequired;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /metrics} (operator token, as Prometheus's {@code authorization} scrape setting
 * sends it): this instance's meters in the Prometheus text format.
 */
@Component(service = MetricsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@OperatorRequired
@Path("metrics")
public class MetricsResource {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Meters meters;

    @Activate
    public MetricsResource(@Reference Meters meters) {
        this.meters = meters;
    }

    @GET
    public Response scrape() {
        return Response.ok(meters.scrape(), CONTENT_TYPE).header("Cache-Control", "no-store").build();
    }
}
