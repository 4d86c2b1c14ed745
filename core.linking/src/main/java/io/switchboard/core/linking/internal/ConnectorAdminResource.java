package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.DeveloperRequired;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /admin/v1/apps/{app}/connectors}: an app enables connectors with its own OAuth client.
 * The operator token or the app's secret. The client secret is write-only.
 */
@Component(service = ConnectorAdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorAdminResource {

    /** The request body of {@code PUT}: {@code clientSecret} may be left out to keep the stored one. */
    public static class Body {
        public String clientId;
        public String clientSecret;
        public List<String> scopes;
        public Map<String, String> options;
    }

    private final AppConnectorService service;
    private final ConnectorRegistry connectors;

    @Activate
    public ConnectorAdminResource(@Reference AppConnectorService service, @Reference ConnectorRegistry connectors) {
        this.service = service;
        this.connectors = connectors;
    }

    @GET
    public Map<String, Object> list(@PathParam("app") String app) {
        return Map.of("items", service.list(app), "installed", connectors.ids());
    }

    @GET
    @Path("{connector}")
    public AppConnectorService.View get(@PathParam("app") String app,
                                        @PathParam("connector") String connector) {
        return service.get(app, connector).orElseThrow(() -> ProblemException.notFound("connector not enabled for this app"));
    }

    @PUT
    @Path("{connector}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AppConnectorService.View put(@PathParam("app") String app,
                                        @PathParam("connector") String connector, Body body) {
        if (!ConnectorIds.valid(connector)) {
            throw ProblemException.badRequest("invalid connector id");
        }
        if (body == null) {
            throw ProblemException.badRequest("a JSON body with clientId is required");
        }
        return service.put(app, connector, body.clientId, body.clientSecret, body.scopes, body.options, "admin");
    }

    @DELETE
    @Path("{connector}")
    public Response delete(@PathParam("app") String app,
                           @PathParam("connector") String connector) {
        if (!service.delete(app, connector, "admin")) {
            throw ProblemException.notFound("connector not enabled for this app");
        }
        return Response.noContent().build();
    }

}
