package io.switchboard.core.identity.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The registered apps, for the other core bundles (credentials are checked at the HTTP edge: {@code core.rest.api}). */
@ProviderType
public interface AppDirectory {

    /** What other bundles need to know about an app. */
    record AppInfo(String id, String name, List<String> returnUrls, boolean requireConditionalConfigWrites) {}

    Optional<AppInfo> find(String appId);
}
