package io.switchboard.core.rest.internal;

import io.switchboard.core.rest.api.AppOrigins;
import io.switchboard.core.rest.api.CorsPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link CorsPolicy}: the decisions; {@link CorsFilter} applies them to the API, the proxy to its answers. */
@Component(service = {CorsPolicy.class, Cors.class})
public class Cors implements CorsPolicy {
    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    private static final String API_METHODS = "GET, POST, PUT, PATCH, DELETE";
    private static final String API_HEADERS = "Authorization, Content-Type, If-Match, X-Request-Id, " + APP_HEADER;
    private static final String API_EXPOSED = "ETag, Location, Retry-After, X-Request-Id";
    private static final String PROXY_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~ ,-]{0,1000}");

    private final AppOrigins origins;

    @Activate
    public Cors(@Reference AppOrigins origins) {
        this.origins = origins;
    }

    @Override
    public Map<String, String> preflight(Surface surface, String origin, String requestedHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Origin");
        if (origin == null || !origins.anyAppAllows(origin)) {
            return headers;
        }
        headers.put(ALLOW_ORIGIN, origin);
        if (surface == Surface.API) {
            headers.put("Access-Control-Allow-Methods", API_METHODS);
            headers.put("Access-Control-Allow-Headers", API_HEADERS);
        } else {
            headers.put("Access-Control-Allow-Methods", PROXY_METHODS);
            if (requestedHeaders != null && HEADER_LIST.matcher(requestedHeaders).matches()) {
                headers.put("Access-Control-Allow-Headers", requestedHeaders);
            }
        }
        headers.put("Access-Control-Max-Age", "600");
        return headers;
    }

    @Override
    public Map<String, String> response(Surface surface, String origin, String appId) {
        if (origin == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Origin");
        if (appId != null && origins.appAllows(appId, origin)) {
            headers.put(ALLOW_ORIGIN, origin);
            // no credentials are ever allowed, so the proxy can expose every header
            headers.put("Access-Control-Expose-Headers", surface == Surface.API ? API_EXPOSED : "*");
        }
        return headers;
    }
}
