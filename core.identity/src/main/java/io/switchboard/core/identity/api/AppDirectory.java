package io.switchboard.core.identity.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The registered apps, for the other core bundles, and the two kinds of server-to-server credentials. */
@ProviderType
public interface AppDirectory {

    /** What other bundles need to know about an app. */
    record AppInfo(String id, String name, List<String> returnUrls, boolean requireConditionalConfigWrites) {}

    Optional<AppInfo> find(String appId);

    /**
     * Whether an {@code Authorization} header carries the operator token, or the secret of
     * {@code appId} (the add-in developer's server-to-server credential). Constant time.
     *
     * @param appId the app the caller acts for, or {@code null} to accept the operator token only
     */
    boolean isOperatorOrAppSecret(String authorizationHeader, String appId);
}
