package io.switchboard.core.identity.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The registered apps, for the other core bundles, and the two kinds of server-to-server credentials. */
@ProviderType
public interface AppDirectory {

    /** What other bundles need to know about an app. */
    record AppInfo(String id, String name, List<String> returnUrls, boolean requireConditionalConfigWrites,
                   List<String> allowedOrigins) {}

    Optional<AppInfo> find(String appId);

    /** Whether some app allows this CORS origin (what a preflight, which names no app, is answered for). */
    boolean anyAppAllowsOrigin(String origin);

    /**
     * Whether an {@code Authorization} header carries the operator token, or the secret of
     * {@code appId} (the add-in developer's server-to-server credential). Constant time.
     *
     * @param appId the app the caller acts for, or {@code null} to accept the operator token only
     */
    boolean isOperatorOrAppSecret(String authorizationHeader, String appId);

    /**
     * The app a developer's (or operator's) server-to-server call acts for.
     *
     * @throws io.switchboard.core.api.ProblemException 401 without the app's secret or the
     *     operator token, 404 when the app does not exist
     */
    default AppInfo developer(String authorizationHeader, String appId) {
        if (!isOperatorOrAppSecret(authorizationHeader, appId)) {
            throw io.switchboard.core.api.ProblemException.unauthorized("the app secret (or the operator token) is required");
        }
        return find(appId).orElseThrow(() -> io.switchboard.core.api.ProblemException.notFound("no app " + appId));
    }
}
