package io.switchboard.core.config.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.rest.api.DeveloperRequired;
import java.util.Map;
import javax.ws.rs.DELETE;
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

/** Who administers an organization's configuration: granted by the developer (app secret). */
@Component(service = OrgAdminsResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/organizations/{org}/admins")
@Produces(MediaType.APPLICATION_JSON)
public class OrgAdminsResource {
    private final OrgAdminService admins;
    private final AppDirectory apps;

    @Activate
    public OrgAdminsResource(@Reference OrgAdminService admins, @Reference AppDirectory apps) {
        this.admins = admins;
        this.apps = apps;
    }

    @PUT
    @Path("{user}")
    public Map<String, Object> grant(@PathParam("app") String app,
                                     @PathParam("org") String org, @PathParam("user") String user) {
        AppDirectory.AppInfo info = ConfigAdminResource.known(apps, app);
        try {
            admins.grant(info.id(), org, user);
        } catch (javax.persistence.PersistenceException e) {
            throw ProblemException.notFound("no such organization or user in app " + app);
        }
        return Map.of("organization", org, "user", user, "role", "org-admin");
    }

    @DELETE
    @Path("{user}")
    public Response revoke(@PathParam("app") String app,
                           @PathParam("org") String org, @PathParam("user") String user) {
        AppDirectory.AppInfo info = ConfigAdminResource.known(apps, app);
        if (!admins.revoke(info.id(), org, user)) {
            throw ProblemException.notFound("that user is no admin of that organization");
        }
        return Response.noContent().build();
    }

}
