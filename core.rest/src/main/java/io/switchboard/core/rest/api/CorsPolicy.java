package io.switchboard.core.rest.api;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one CORS policy of the server, for JAX-RS resources (applied by the edge itself) and for
 * servlets that answer on their own (the proxy). Credentials (cookies) are never allowed:
 * sessions travel in {@code Authorization}.
 *
 * <ul>
 *   <li>A preflight names no app: it is answered for origins that some app registered.</li>
 *   <li>The actual request gets {@code Access-Control-Allow-Origin} only when the app it acts for
 *       registered the origin; an origin registered by another app gets nothing.</li>
 * </ul>
 */
@ProviderType
public interface CorsPolicy {

    /** The header naming the app a request acts for when it carries no session (sign-in, refresh). */
    String APP_HEADER = "X-Switchboard-App";

    /**
     * The request property (a servlet request attribute) a resource sets to the app a sessionless
     * call acted for, so that its answer gets that app's CORS headers (sign-in).
     */
    String APP_PROPERTY = "io.switchboard.app";

    /** What a surface allows: the API's fixed lists, or a passthrough that allows what is asked. */
    enum Surface {
        /** The JSON API: its own methods and headers, a fixed list of exposed headers. */
        API,
        /** The proxy: every method a provider may take, the requested headers, every header exposed. */
        PROXY
    }

    /**
     * The headers answering a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}).
     *
     * @param requestedHeaders the {@code Access-Control-Request-Headers} value, or {@code null}
     * @return the headers to set (always {@code Vary: Origin}; the grant only for a registered origin)
     */
    Map<String, String> preflight(Surface surface, String origin, String requestedHeaders);

    /**
     * The headers for an actual response to a request from {@code origin} acting for {@code appId}.
     *
     * @param appId the app, or {@code null} when the request acts for none
     * @return the headers to set (empty without an origin)
     */
    Map<String, String> response(Surface surface, String origin, String appId);
}
