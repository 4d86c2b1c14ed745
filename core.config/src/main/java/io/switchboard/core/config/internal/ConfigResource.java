package io.switchboard.core.config.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.config.internal.ConfigService.Document;
import io.switchboard.core.config.internal.ConfigService.Scope;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/config}: the add-in reads its app's, its organization's and its own documents and
 * the effective merge of the three; it writes its own; organization admins write the
 * organization's. The app's documents are written by the developer through the admin API.
 */
@Component(service = ConfigResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@SessionRequired
@Path("v1/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final ConfigService config;
    private final OrgAdminService admins;
    private final AppDirectory apps;

    @Activate
    public ConfigResource(@Reference ConfigService config, @Reference OrgAdminService admins, @Reference AppDirectory apps) {
        this.admins = admins;
        this.config = config;
        this.apps = apps;
    }

    @GET
    @Path("effective/{key}")
    public Map<String, Object> effective(@Context SecurityContext security, @PathParam("key") String key) {
        Caller p = Caller.of(security);
        return config.effective(p.appId(), p.organizationId(), p.userId(), key);
    }

    @GET
    @Path("{scope}/{key}")
    public Response get(@Context SecurityContext security, @PathParam("scope") String scope,
                        @PathParam("key") String key) {
        Caller p = Caller.of(security);
        Scope s = scope(scope);
        Document doc = config.get(p.appId(), s, owner(p, s), key);
        if (doc == null) {
            throw ProblemException.notFound("no " + s.id() + " document '" + key + "'");
        }
        return ok(doc, 200);
    }

    @PUT
    @Path("{scope}/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@Context SecurityContext security, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @PathParam("scope") String scope, @PathParam("key") String key, String body) {
        return write(security, ifMatch, scope, key, body, false);
    }

    @PATCH
    @Path("{scope}/{key}")
    @Consumes(MERGE_PATCH)
    public Response patch(@Context SecurityContext security, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          @PathParam("scope") String scope, @PathParam("key") String key, String body) {
        return write(security, ifMatch, scope, key, body, true);
    }

    @DELETE
    @Path("{scope}/{key}")
    public Response delete(@Context SecurityContext security, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @PathParam("scope") String scope, @PathParam("key") String key) {
        Caller p = Caller.of(security);
        Scope s = writableScope(p, scope);
        if (!config.delete(p.appId(), s, owner(p, s), key, IfMatch.parse(ifMatch), requireIfMatch(p.appId()), "user:" + p.userId())) {
            throw ProblemException.notFound("no " + s.id() + " document '" + key + "'");
        }
        return Response.noContent().build();
    }

    /** Organization admins lock members of the organization's document for its users. */
    @PUT
    @Path("org/{key}/locks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lockOrg(@Context SecurityContext security, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                            @PathParam("key") String key, List<String> members) {
        Caller p = Caller.of(security);
        Scope s = writableScope(p, "org");
        return ok(config.lock(p.appId(), s, owner(p, s), key, members == null ? List.of() : members, IfMatch.parse(ifMatch),
                requireIfMatch(p.appId()),
                "user:" + p.userId()), 200);
    }

    private Response write(SecurityContext security, String ifMatch, String scope, String key, String body, boolean patch) {
        Caller p = Caller.of(security);
        Scope s = writableScope(p, scope);
        ConfigService.checkKey(key);
        Document doc = config.write(p.appId(), s, owner(p, s), key, config.parseObject(body), patch, IfMatch.parse(ifMatch),
                requireIfMatch(p.appId()), "user:" + p.userId(), p.organizationId());
        return ok(doc, doc.version() == 1 ? 201 : 200);
    }

    private Scope writableScope(Caller p, String scope) {
        Scope s = scope(scope);
        switch (s) {
            case USER -> { }
            case ORG -> {
                if (p.organizationId() == null || !admins.isAdmin(p.appId(), p.organizationId(), p.userId())) {
                    throw ProblemException.forbidden("only organization admins write the organization's configuration");
                }
            }
            case APP -> throw ProblemException.forbidden("the app's configuration is written by its developer through the admin API");
        }
        return s;
    }

    private boolean requireIfMatch(String appId) {
        return apps.find(appId).map(AppDirectory.AppInfo::requireConditionalConfigWrites).orElse(false);
    }

    static Scope scope(String scope) {
        return switch (scope) {
            case "app" -> Scope.APP;
            case "org" -> Scope.ORG;
            case "user" -> Scope.USER;
            default -> throw ProblemException.notFound("no configuration scope '" + scope + "' (app, org, user)");
        };
    }

    private static String owner(Caller p, Scope s) {
        return switch (s) {
            case APP -> p.appId();
            case USER -> p.userId();
            case ORG -> {
                if (p.organizationId() == null) {
                    throw ProblemException.notFound("the signed-in user belongs to no organization");
                }
                yield p.organizationId();
            }
        };
    }

    static Response ok(Document doc, int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", doc.key());
        body.put("scope", doc.scope().id());
        body.put("version", doc.version());
        body.put("document", doc.body());
        body.put("locked", List.copyOf(doc.locked()));
        body.put("updatedAt", doc.updatedAt().toString());
        return Response.status(status).entity(body).tag(new javax.ws.rs.core.EntityTag(String.valueOf(doc.version()))).build();
    }
}
