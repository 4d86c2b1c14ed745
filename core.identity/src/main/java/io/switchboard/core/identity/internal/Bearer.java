package io.switchboard.core.identity.internal;

/** The one place that reads {@code Authorization: Bearer <token>}. */
final class Bearer {
    private Bearer() {}

    /** The token of a Bearer header (scheme case-insensitive), or {@code null}. */
    static String token(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }
}
