package io.switchboard.core.identity.internal;

import io.switchboard.core.api.Switchboard;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * CORS for the add-ins' task panes, per app: a request from an origin gets CORS headers only if
 * that origin is registered by the app it acts for (named by {@code X-Switchboard-App}, by the
 * body's app for sign-in, or by the session). A preflight carries no app, so it is answered for
 * origins that some app registered; the actual request is then checked against its own app.
 * Credentials (cookies) are never allowed: sessions travel in {@code Authorization}.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class})
@JaxrsExtension
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-Match, X-Request-Id, " + SessionResource.APP_HEADER;
    static final String EXPOSED_HEADERS = "ETag, Location, Retry-After, X-Request-Id";
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    private final AppService apps;
    private final SessionService sessions;

    @Activate
    public CorsFilter(@Reference AppService apps, @Reference SessionService sessions) {
        this.apps = apps;
        this.sessions = sessions;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || !"OPTIONS".equals(request.getMethod())
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return;
        }
        Response.ResponseBuilder preflight = Response.noContent();
        if (apps.allOrigins().contains(origin)) {
            preflight.header(ALLOW_ORIGIN, origin)
                    .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                    .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .header("Access-Control-Max-Age", "600")
                    .header("Vary", "Origin");
        }
        request.abortWith(preflight.build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (origin == null || headers.containsKey(ALLOW_ORIGIN)) {
            return;
        }
        headers.add("Vary", "Origin");
        String appId = appOf(request);
        if (appId != null && apps.find(appId).map(a -> a.settings().allowedOrigins().contains(origin)).orElse(false)) {
            headers.add(ALLOW_ORIGIN, origin);
            headers.add("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
    }

    private String appOf(ContainerRequestContext request) {
        String header = request.getHeaderString(SessionResource.APP_HEADER);
        if (header != null) {
            return header;
        }
        if (request.getProperty(SessionResource.APP_ATTRIBUTE) instanceof String signedInTo) {
            return signedInTo;
        }
        String auth = request.getHeaderString("Authorization");
        if (auth != null) {
            try {
                return sessions.authenticate(auth).appId();
            } catch (RuntimeException notASession) {
                return null;
            }
        }
        return null;
    }
}
