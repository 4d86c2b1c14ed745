package io.switchboard.core.metrics.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.core.api.Switchboard;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.ws.rs.Path;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * {@code http.server.requests} for the JSON API: a timer per method, route template (e.g.
 * {@code /v1/accounts/{id}}, never the ids themselves), status and outcome. A request no
 * resource matched counts under the route {@code NOT_FOUND}; the proxy counts its own calls.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class})
@JaxrsExtension
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
public class HttpServerMeters implements ContainerRequestFilter, ContainerResponseFilter {
    static final String NAME = "http.server.requests";
    private static final String STARTED = HttpServerMeters.class.getName() + ".started";

    private final Meter.MeterProvider<Timer> requests;
    private final Map<Method, String> routes = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Activate
    public HttpServerMeters(@Reference MeterRegistry registry) {
        this.requests = Timer.builder(NAME).withRegistry(registry);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(STARTED) instanceof Long started)) {
            return; // answered before matching (a pre-flight, an edge refusal): counted by no route
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        String route = method == null ? "NOT_FOUND" : routes.computeIfAbsent(method, m -> route(resource.getResourceClass(), m));
        int status = response.getStatus();
        requests.withTags("method", request.getMethod(), "uri", route, "status", Integer.toString(status), "outcome", outcome(status))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    static String route(Class<?> type, Method method) {
        Path onType = type == null ? null : type.getAnnotation(Path.class);
        Path onMethod = method.getAnnotation(Path.class);
        String joined = "/" + (onType == null ? "" : strip(onType.value())) + (onMethod == null ? "" : "/" + strip(onMethod.value()));
        return joined.replaceAll("/+", "/").replaceAll("(.)/$", "$1").replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
