package io.switchboard.core.identity.internal;

import io.switchboard.core.identity.api.AppDirectory;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AppDirectory} for the other core bundles, and the operator check the admin API uses. */
@Component(service = {AppDirectory.class, AppDirectoryService.class}, configurationPid = IdentityConfig.PID)
public class AppDirectoryService implements AppDirectory {
    private final AppService apps;
    private final String operatorTokenHash;

    @Activate
    public AppDirectoryService(@Reference AppService apps, IdentityConfig config) {
        this.apps = apps;
        String token = config.admin_token();
        this.operatorTokenHash = token == null || token.isBlank() ? null : Hashes.sha256(token.trim());
    }

    @Override
    public Optional<AppInfo> find(String appId) {
        return apps.find(appId).map(a -> new AppInfo(a.id(), a.name(), a.settings().returnUrls(),
                a.settings().config().requireIfMatch(), a.settings().allowedOrigins()));
    }

    @Override
    public boolean anyAppAllowsOrigin(String origin) {
        return origin != null && apps.allOrigins().contains(origin);
    }

    @Override
    public boolean isOperatorOrAppSecret(String authorizationHeader, String appId) {
        String presented = Bearer.token(authorizationHeader);
        if (presented == null) {
            return false;
        }
        if (operatorTokenHash != null && Hashes.constantTimeEquals(operatorTokenHash, Hashes.sha256(presented))) {
            return true;
        }
        return appId != null && apps.secretMatches(appId, presented);
    }

    /** Whether the admin API is switched on at all (an operator token is configured). */
    boolean operatorConfigured() {
        return operatorTokenHash != null;
    }
}
