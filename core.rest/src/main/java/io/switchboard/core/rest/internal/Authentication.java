package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CallerResolver;
import io.switchboard.core.rest.api.DeveloperRequired;
import io.switchboard.core.rest.api.OperatorRequired;
import io.switchboard.core.rest.api.SessionRequired;
import java.security.Principal;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * The edge's authentication: one name-bound request filter per kind of caller. Each runs after
 * matching (so the developer filter sees the {@code {app}} path parameter) and before the body is
 * read, asks the {@link CallerResolver} once, and puts the {@link Caller} into the request's
 * {@link SecurityContext}, where resources take it from. A refusal is a problem ready to leave the
 * server (the resource never runs).
 */
final class Authentication {
    private Authentication() {}

    /** What the resolved caller looks like to JAX-RS; no roles (resources check ownership themselves). */
    private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }

    /** A filter that resolves one kind of caller and admits it. */
    abstract static class Gate implements ContainerRequestFilter {
        final CallerResolver resolver;

        Gate(CallerResolver resolver) {
            this.resolver = resolver;
        }

        abstract Caller resolve(ContainerRequestContext request, String authorization);

        @Override
        public final void filter(ContainerRequestContext request) {
            Caller caller = resolve(request, request.getHeaderString(HttpHeaders.AUTHORIZATION));
            SecurityContext before = request.getSecurityContext();
            request.setSecurityContext(new CallerContext(caller, before != null && before.isSecure()));
        }
    }

    /** {@link SessionRequired}. */
    @Component(service = ContainerRequestFilter.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    @SessionRequired
    public static class Session extends Gate {
        @Activate
        public Session(@Reference CallerResolver resolver) {
            super(resolver);
        }

        @Override
        Caller resolve(ContainerRequestContext request, String authorization) {
            return resolver.session(authorization);
        }
    }

    /** {@link DeveloperRequired}: the app comes from the {@code {app}} path parameter. */
    @Component(service = ContainerRequestFilter.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    @DeveloperRequired
    public static class Developer extends Gate {
        @Activate
        public Developer(@Reference CallerResolver resolver) {
            super(resolver);
        }

        @Override
        Caller resolve(ContainerRequestContext request, String authorization) {
            String app = request.getUriInfo().getPathParameters().getFirst("app");
            if (app == null) {
                throw new IllegalStateException("@DeveloperRequired on a resource without an {app} path parameter");
            }
            return resolver.developer(authorization, app);
        }
    }

    /** {@link OperatorRequired}. */
    @Component(service = ContainerRequestFilter.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    @OperatorRequired
    public static class Operator extends Gate {
        @Activate
        public Operator(@Reference CallerResolver resolver) {
            super(resolver);
        }

        @Override
        Caller resolve(ContainerRequestContext request, String authorization) {
            return resolver.operator(authorization);
        }
    }
}
