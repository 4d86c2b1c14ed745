package io.switchboard.core.proxy.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.OperatorRequired;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /admin/v1/proxy/metrics} (operator token): proxy calls per connector since start on this instance. */
@Component(service = ProxyMetricsResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@OperatorRequired
@Path("admin/v1/proxy")
@Produces(MediaType.APPLICATION_JSON)
public class ProxyMetricsResource {
    private final ProxyMetrics metrics;

    @Activate
    public ProxyMetricsResource(@Reference ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @Path("metrics")
    public Map<String, Object> metrics() {
        return Map.of("connectors", metrics.snapshot());
    }
}
