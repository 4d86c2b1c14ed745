package io.switchboard.core.identity.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CorsPolicy;
import io.switchboard.core.rest.api.SessionRequired;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /v1/sessions} and {@code /v1/me}: the add-in's first calls. */
@Component(service = SessionResource.class, configurationPid = IdentityConfig.PID)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    private static final Logger LOG = LoggerFactory.getLogger(SessionResource.class);

    private final AppRepository apps;
    private final SessionService sessions;
    private final IdentityTokenValidator validator;


    @Activate
    public SessionResource(@Reference AppRepository apps, @Reference SessionService sessions, @Reference ProviderCalls calls,
                           IdentityConfig config) {
        this.apps = apps;
        this.sessions = sessions;
        RemoteDocuments documents = new RemoteDocuments(calls.operatorConfigured(), Duration.ofSeconds(Math.max(1, config.jwks_cooldown_seconds())),
                config.allow_insecure_issuers(), Clock.systemUTC());
        this.validator = new IdentityTokenValidator(documents, config.max_token_bytes(), Clock.systemUTC());
    }

    @POST
    @Path("sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(com.fasterxml.jackson.databind.JsonNode body, @Context HttpHeaders headers,
                           @HeaderParam(CorsPolicy.APP_HEADER) String appHeader,
                           @javax.ws.rs.core.Context javax.servlet.http.HttpServletRequest servletRequest) {
        String appId = RequestJson.text(body, "app") != null ? RequestJson.text(body, "app") : appHeader;
        // The identity token being exchanged may come as a bearer token: it is this resource's input, not
        // a credential of the edge (which admits sign-ins without one).
        String token = RequestJson.text(body, "token") != null ? RequestJson.text(body, "token")
                : Bearer.token(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (appId == null || appId.isBlank()) {
            throw new ProblemException(400, "validation", "Bad Request", "name the app: \"app\" in the body or the " + CorsPolicy.APP_HEADER + " header");
        }
        AppRepository.App app = apps.find(appId).orElseThrow(() -> ProblemException.unauthorized("unknown app"));
        servletRequest.setAttribute(CorsPolicy.APP_PROPERTY, app.id());
        IdentityTokenValidator.VerifiedIdentity identity;
        try {
            identity = validator.validate(app.settings(), token);
        } catch (IdentityTokenException e) {
            LOG.info("Sign-in refused for app {}: {}", app.id(), e.getMessage());
            throw ProblemException.unauthorized(e.getMessage());
        }
        return Response.ok(body(sessions.create(app.id(), identity))).cacheControl(noStore()).build();
    }

    @POST
    @Path("sessions/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response refresh(com.fasterxml.jackson.databind.JsonNode body, @HeaderParam(CorsPolicy.APP_HEADER) String appHeader) {
        SessionService.Issued issued = sessions.refresh(appHeader, RequestJson.text(body, "refreshToken"));
        return Response.ok(body(issued)).cacheControl(noStore()).build();
    }

    @DELETE
    @Path("sessions/current")
    @SessionRequired
    public Response logout(@Context SecurityContext security) {
        sessions.revoke(Caller.of(security).sessionId(), "logout");
        return Response.noContent().build();
    }

    /** Who is calling, from the verified session token alone (no database read). */
    @GET
    @Path("me")
    @SessionRequired
    public Response me(@Context SecurityContext security) {
        Caller caller = Caller.of(security);
        Map<String, Object> claims = caller.claims();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", caller.userId());
        user.put("email", claims.get("email"));
        user.put("name", claims.get("name"));
        user.put("organizationId", caller.organizationId());
        Map<String, Object> organization = null;
        if (caller.organizationId() != null) {
            organization = new LinkedHashMap<>();
            organization.put("id", caller.organizationId());
            organization.put("kind", claims.get("org_kind"));
            organization.put("externalId", claims.get("org_ext"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", caller.appId());
        body.put("user", user);
        body.put("organization", organization);
        body.put("session", Map.of("id", caller.sessionId(), "expiresAt", String.valueOf(claims.get("exp"))));
        return Response.ok(body).cacheControl(noStore()).build();
    }

    private static Map<String, Object> body(SessionService.Issued issued) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", issued.accessToken());
        body.put("tokenType", "Bearer");
        body.put("expiresIn", issued.expiresIn());
        body.put("refreshToken", issued.refreshToken());
        body.put("user", IdentityViews.user(issued.user()));
        body.put("organization", issued.organization() == null ? null : IdentityViews.organization(issued.organization()));
        return body;
    }

    static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        return cc;
    }
}
