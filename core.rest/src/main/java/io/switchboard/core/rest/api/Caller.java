package io.switchboard.core.rest.api;

import io.switchboard.core.api.ProblemException;
import java.security.Principal;
import java.util.Map;
import javax.ws.rs.core.SecurityContext;

/**
 * Who is calling, as the edge resolved it from the request's credentials.
 *
 * @param kind how the caller authenticated
 * @param appId the app the call acts for ({@code null} only for an operator call that names no app)
 * @param userId the signed-in user (sessions only)
 * @param organizationId the user's organization, or {@code null} (sessions only)
 * @param sessionId the session (sessions only)
 * @param claims further facts the resolver vouches for (a session's display claims), never a secret
 */
public record Caller(Kind kind, String appId, String userId, String organizationId, String sessionId,
                     Map<String, Object> claims) implements Principal {

    /** How a caller authenticated. */
    public enum Kind {
        /** The add-in, with a Switchboard session ({@code Authorization: Bearer <access token>}). */
        SESSION,
        /** The developer's server, with the app's secret. */
        APP_SECRET,
        /** The operator, with the operator token (acts for any app). */
        OPERATOR
    }

    public Caller {
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /** A session caller. */
    public static Caller session(String appId, String userId, String organizationId, String sessionId, Map<String, Object> claims) {
        return new Caller(Kind.SESSION, appId, userId, organizationId, sessionId, claims);
    }

    /** A server-to-server caller: the operator, or the developer of {@code appId}. */
    public static Caller developer(Kind kind, String appId) {
        return new Caller(kind, appId, null, null, null, Map.of());
    }

    /**
     * The caller the edge put into a request's security context.
     *
     * @throws ProblemException 401 when the resource was not bound to an authentication annotation
     *     (a programming error that must fail closed)
     */
    public static Caller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw ProblemException.unauthorized("authentication is required");
    }

    /** Whether this caller holds the operator token. */
    public boolean operator() {
        return kind == Kind.OPERATOR;
    }

    /** Never prints claims. */
    @Override
    public String getName() {
        return kind == Kind.SESSION ? userId : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Caller[" + kind + ", app=" + appId + (userId == null ? "" : ", user=" + userId) + "]";
    }
}
