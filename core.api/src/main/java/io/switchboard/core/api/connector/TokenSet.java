package io.switchboard.core.api.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens of one account as read from a token response.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token, or {@code null} when the response carried none (on a
 *     refresh that means: keep the one you have)
 * @param expiresAt when the access token expires, or {@code null} when unknown (then a 401 from
 *     the provider is the signal to refresh)
 * @param scopes the granted scopes, when the provider says
 * @param attributes non-secret members of the response worth keeping (Salesforce {@code instance_url}
 *     and {@code id}); never tokens
 */
public record TokenSet(String accessToken, String refreshToken, Instant expiresAt, List<String> scopes,
                       Map<String, String> attributes) {

    public TokenSet {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalArgumentException("a token response without access_token");
        }
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    private static final List<String> SECRET_MEMBERS = List.of("access_token", "refresh_token", "id_token", "signature");

    /**
     * Reads a standard RFC 6749 §5.1 response: {@code access_token}, {@code refresh_token},
     * {@code expires_in} (seconds), {@code scope} (space separated). Other string or number
     * members that are not tokens are kept as attributes.
     *
     * @param defaultLifetime the lifetime assumed without {@code expires_in}, or {@code null} for unknown
     */
    public static TokenSet standard(Map<String, Object> response, Instant now, Duration defaultLifetime) {
        Object access = response.get("access_token");
        Object refresh = response.get("refresh_token");
        Object expiresIn = response.get("expires_in");
        Instant expiresAt = null;
        if (expiresIn instanceof Number n) {
            expiresAt = now.plusSeconds(n.longValue());
        } else if (expiresIn instanceof String s && s.matches("\\d{1,10}")) {
            expiresAt = now.plusSeconds(Long.parseLong(s));
        } else if (defaultLifetime != null) {
            expiresAt = now.plus(defaultLifetime);
        }
        Object scope = response.get("scope");
        List<String> scopes = scope instanceof String s && !s.isBlank() ? List.of(s.trim().split("[\\s,]+")) : List.of();
        Map<String, String> attributes = new LinkedHashMap<>();
        response.forEach((k, v) -> {
            if (!SECRET_MEMBERS.contains(k) && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                attributes.put(k, String.valueOf(v));
            }
        });
        return new TokenSet(access instanceof String a ? a : null, refresh instanceof String r && !r.isEmpty() ? r : null,
                expiresAt, scopes, attributes);
    }

    /** Never prints a token. */
    @Override
    public String toString() {
        return "TokenSet[expiresAt=" + expiresAt + ", refreshToken=" + (refreshToken != null) + ", scopes=" + scopes
                + ", attributes=" + attributes.keySet() + "]";
    }
}
