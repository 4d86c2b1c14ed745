package io.switchboard.core.config.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.config.internal.ConfigService.Document;
import io.switchboard.core.config.internal.ConfigService.Scope;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.rest.api.DeveloperRequired;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The developer's side of configuration, authenticated with the app secret (or the operator
 * token): the app's documents and their locks. (Root paths of resources must not overlap: the
 * identity bundle serves the rest of {@code /admin/v1/apps/{app}}.)
 */
@Component(service = ConfigAdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigAdminResource {
    private final ConfigService config;
    private final AppDirectory apps;

    @Activate
    public ConfigAdminResource(@Reference ConfigService config, @Reference AppDirectory apps) {
        this.config = config;
        this.apps = apps;
    }

    @GET
    @Path("{key}")
    public Response get(@PathParam("app") String app, @PathParam("key") String key) {
        AppDirectory.AppInfo info = known(apps, app);
        Document doc = config.get(info.id(), Scope.APP, info.id(), key);
        if (doc == null) {
            throw ProblemException.notFound("no app document '" + key + "'");
        }
        return ConfigResource.ok(doc, 200);
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @PathParam("app") String app, @PathParam("key") String key, String body) {
        return write(ifMatch, app, key, body, false);
    }

    @PATCH
    @Path("{key}")
    @Consumes(ConfigResource.MERGE_PATCH)
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          @PathParam("app") String app, @PathParam("key") String key, String body) {
        return write(ifMatch, app, key, body, true);
    }

    @DELETE
    @Path("{key}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @PathParam("app") String app, @PathParam("key") String key) {
        AppDirectory.AppInfo info = known(apps, app);
        if (!config.delete(info.id(), Scope.APP, info.id(), key, IfMatch.parse(ifMatch), info.requireConditionalConfigWrites(), "developer")) {
            throw ProblemException.notFound("no app document '" + key + "'");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{key}/schema")
    public Response getSchema(@PathParam("app") String app, @PathParam("key") String key) {
        AppDirectory.AppInfo info = known(apps, app);
        com.fasterxml.jackson.databind.JsonNode schema = config.schema(info.id(), key);
        if (schema == null) {
            throw ProblemException.notFound("no schema for '" + key + "'");
        }
        return Response.ok(schema).build();
    }

    /** Sets the JSON Schema that every later write of this key must satisfy. */
    @PUT
    @Path("{key}/schema")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putSchema(@PathParam("app") String app,
                              @PathParam("key") String key, String body) {
        AppDirectory.AppInfo info = known(apps, app);
        config.putSchema(info.id(), key, config.parseObject(body));
        return Response.noContent().build();
    }

    @DELETE
    @Path("{key}/schema")
    public Response deleteSchema(@PathParam("app") String app,
                                 @PathParam("key") String key) {
        AppDirectory.AppInfo info = known(apps, app);
        if (!config.deleteSchema(info.id(), key)) {
            throw ProblemException.notFound("no schema for '" + key + "'");
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{key}/locks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lock(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                         @PathParam("app") String app, @PathParam("key") String key, List<String> members) {
        AppDirectory.AppInfo info = known(apps, app);
        return ConfigResource.ok(config.lock(info.id(), Scope.APP, info.id(), key, members == null ? List.of() : members,
                IfMatch.parse(ifMatch), info.requireConditionalConfigWrites(), "developer"), 200);
    }

    private Response write(String ifMatch, String app, String key, String body, boolean patch) {
        AppDirectory.AppInfo info = known(apps, app);
        ConfigService.checkKey(key);
        Document doc = config.write(info.id(), Scope.APP, info.id(), key, config.parseObject(body), patch, IfMatch.parse(ifMatch),
                info.requireConditionalConfigWrites(), "developer");
        return ConfigResource.ok(doc, doc.version() == 1 ? 201 : 200);
    }

    /** The app the edge admitted the caller for (it exists: the edge checked). */
    static AppDirectory.AppInfo known(AppDirectory apps, String app) {
        return apps.find(app).orElseThrow(() -> ProblemException.notFound("no app " + app));
    }
}
