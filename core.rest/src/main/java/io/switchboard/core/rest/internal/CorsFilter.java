package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CorsPolicy.Surface;
import io.switchboard.core.rest.api.CorsPolicy;
import java.util.Map;
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
 * The {@link CorsPolicy} on the JSON API, for the add-ins' task panes. The app a request acts
 * for is the one named by {@value CorsPolicy#APP_HEADER}, else the one a sign-in resource names
 * in the request property {@value CorsPolicy#APP_PROPERTY}, else the session's as the edge resolved it.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class})
@JaxrsExtension
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final CorsPolicy policy;

    @Activate
    public CorsFilter(@Reference CorsPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(Switchboard.HANDLED_ATTRIBUTE, Boolean.TRUE); // the application took it (a servlet request attribute too)
        String origin = request.getHeaderString("Origin");
        if (origin == null || !"OPTIONS".equals(request.getMethod())
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return;
        }
        Response.ResponseBuilder preflight = Response.noContent();
        policy.preflight(Surface.API, origin, request.getHeaderString("Access-Control-Request-Headers")).forEach(preflight::header);
        request.abortWith(preflight.build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (origin == null || headers.containsKey(Cors.ALLOW_ORIGIN)) {
            return;
        }
        Map<String, String> cors = policy.response(Surface.API, origin, appOf(request));
        cors.forEach(headers::add);
    }

    private static String appOf(ContainerRequestContext request) {
        String header = request.getHeaderString(CorsPolicy.APP_HEADER);
        if (header != null) {
            return header;
        }
        if (request.getProperty(CorsPolicy.APP_PROPERTY) instanceof String signedInTo) {
            return signedInTo;
        }
        if (request.getSecurityContext() != null && request.getSecurityContext().getUserPrincipal() instanceof Caller caller) {
            return caller.appId(); // resolved once by the edge
        }
        return null;
    }
}
