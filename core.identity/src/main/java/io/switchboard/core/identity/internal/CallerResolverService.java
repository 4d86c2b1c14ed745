package io.switchboard.core.identity.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CallerResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The edge's credential checks: sessions from their signed token alone (no database read), app
 * secrets and the operator token in constant time.
 */
@Component(service = CallerResolver.class)
public class CallerResolverService implements CallerResolver {
    /** Session claims a resource may show (never a secret). */
    private static final List<String> SHOWN_CLAIMS = List.of("email", "name", "org_kind", "org_ext", "idp", "ext");

    private final SessionService sessions;
    private final AppDirectoryService directory;

    @Activate
    public CallerResolverService(@Reference SessionService sessions, @Reference AppDirectoryService directory) {
        this.sessions = sessions;
        this.directory = directory;
    }

    @Override
    public Caller session(String authorization) {
        JWTClaimsSet claims = sessions.verifiedClaims(authorization);
        List<String> audience = claims.getAudience();
        Map<String, Object> shown = new HashMap<>();
        for (String name : SHOWN_CLAIMS) {
            Object value = claims.getClaim(name);
            if (value != null) {
                shown.put(name, value);
            }
        }
        if (claims.getExpirationTime() != null) {
            shown.put("exp", claims.getExpirationTime().toInstant());
        }
        return Caller.session(audience.isEmpty() ? null : audience.get(0), claims.getSubject(), (String) claims.getClaim("org"),
                (String) claims.getClaim("sid"), shown);
    }

    @Override
    public Caller developer(String authorization, String appId) {
        if (directory.isOperator(authorization)) {
            directory.find(appId).orElseThrow(() -> ProblemException.notFound("no app " + appId));
            return Caller.developer(Caller.Kind.OPERATOR, appId);
        }
        if (!directory.isAppSecret(authorization, appId)) {
            throw ProblemException.unauthorized("the app secret (or the operator token) is required");
        }
        // a matching secret was read from the app's row, so the app exists
        return Caller.developer(Caller.Kind.APP_SECRET, appId);
    }

    @Override
    public Caller operator(String authorization) {
        if (!directory.operatorConfigured()) {
            throw ProblemException.forbidden("the admin API is disabled: set SWITCHBOARD_ADMIN_TOKEN");
        }
        if (!directory.isOperator(authorization)) {
            throw ProblemException.unauthorized("the operator token is required");
        }
        return Caller.developer(Caller.Kind.OPERATOR, null);
    }
}
