package io.switchboard.core.identity.internal;

import io.switchboard.core.api.util.Digests;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.rest.api.AppOrigins;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AppDirectory} for the other core bundles, and the server-to-server credential checks of the edge. */
@Component(service = {AppDirectory.class, AppOrigins.class, AppDirectoryService.class}, configurationPid = IdentityConfig.PID)
public class AppDirectoryService implements AppDirectory, AppOrigins {
    private final AppRepository apps;
    private final String operatorTokenHash;

    @Activate
    public AppDirectoryService(@Reference AppRepository apps, IdentityConfig config) {
        this.apps = apps;
        String token = config.admin_token();
        this.operatorTokenHash = token == null || token.isBlank() ? null : Digests.sha256Hex(token.trim());
    }

    @Override
    public Optional<AppInfo> find(String appId) {
        return apps.find(appId).map(a -> new AppInfo(a.id(), a.name(), a.settings().returnUrls(),
                a.settings().config().requireIfMatch()));
    }

    @Override
    public boolean anyAppAllows(String origin) {
        return origin != null && apps.allOrigins().contains(origin);
    }

    @Override
    public boolean appAllows(String appId, String origin) {
        return origin != null && appId != null && apps.find(appId).map(a -> a.settings().allowedOrigins().contains(origin)).orElse(false);
    }

    /**
     * Whether an {@code Authorization} header carries the secret of {@code appId} (the developer's
     * server-to-server credential). Constant time.
     */
    boolean isAppSecret(String authorizationHeader, String appId) {
        String presented = Bearer.token(authorizationHeader);
        return presented != null && appId != null && apps.secretMatches(appId, presented);
    }

    /** Whether an {@code Authorization} header carries the operator token. Constant time. */
    boolean isOperator(String authorizationHeader) {
        String presented = Bearer.token(authorizationHeader);
        return presented != null && operatorTokenHash != null
                && Digests.constantTimeEquals(operatorTokenHash, Digests.sha256Hex(presented));
    }

    /** Whether the admin API is switched on at all (an operator token is configured). */
    boolean operatorConfigured() {
        return operatorTokenHash != null;
    }
}
