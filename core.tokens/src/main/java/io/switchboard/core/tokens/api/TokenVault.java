package io.switchboard.core.tokens.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Valid access tokens for linked accounts, for the proxy, the CRM API and connectors.
 *
 * <p>Tokens come from an in-memory cache of the decrypted token until shortly before they
 * expire. A refresh happens at most once per account at a time across all instances (a database
 * row lock held for the upstream call, plus an in-JVM single flight); the new refresh token is
 * committed before the new access token is handed out.
 *
 * <p>Failures are {@link io.switchboard.core.api.ProblemException}s ready to leave the server:
 * 409 {@code reauth-required} (the user must link again), 503 {@code connector-unavailable}
 * (the connector bundle is gone), 503 {@code upstream-unavailable} with {@code Retry-After}
 * (the provider failed; the account cools down), 404 {@code not-found}.
 */
@ProviderType
public interface TokenVault {

    /** Account states. {@code CONNECTOR_MISSING} is reported while the account's connector is not installed. */
    enum Status { ACTIVE, REAUTH_REQUIRED, REVOKED, CONNECTOR_MISSING }

    /** A linked account without its secrets. */
    record Account(String id, String appId, String userId, String connectorId, String externalId, String displayName,
                   String baseUrl, Status status, Set<String> allowedHosts, Instant createdAt, Instant updatedAt) {}

    /**
     * An access token ready to use, with the headers that carry it to the provider.
     *
     * @param version the token generation (increases with every refresh)
     * @param baseUrl the account's API base URL
     * @param allowedHosts the hosts the connector lets calls for this account go to
     * @param budget the connector's outbound budget per account, or {@code null}
     */
    record AccessToken(String accountId, String value, Map<String, String> headers, Instant expiresAt, long version,
                       String baseUrl, String connectorId, Set<String> allowedHosts,
                       io.switchboard.core.api.connector.OutboundBudget budget) {
        /** Never prints the token. */
        @Override
        public String toString() {
            return "AccessToken[account=" + accountId + ", version=" + version + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** The account if it exists and belongs to this user of this app (else empty: never someone else's). */
    Optional<Account> account(String appId, String userId, String accountId);

    /** A valid access token for an account of the app, refreshed first if it expires soon. */
    AccessToken accessToken(String appId, String accountId);

    /**
     * Like {@link #accessToken(String, String)}, for a signed-in user: an account of another
     * user answers 404 exactly like one that does not exist. Served from memory when the token is
     * cached (the proxy's hot path).
     */
    AccessToken accessTokenFor(String appId, String userId, String accountId);

    /**
     * A fresh access token after the provider rejected {@code rejected} (HTTP 401): refreshed once,
     * unless another caller or instance already replaced that token, in which case the newer one
     * is returned without a refresh.
     */
    AccessToken afterRejection(String appId, String accountId, AccessToken rejected);
}
