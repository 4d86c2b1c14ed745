package io.switchboard.core.vault.api;

import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.TokenSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Linked accounts and valid access tokens for them, for the proxy, the CRM API, linking and connectors.
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

    /** A user's accounts of an app, oldest first. */
    List<Account> accounts(String appId, String userId);

    /** An app's accounts, {@code limit} at a time after the account id {@code after} ({@code null}: from the start). */
    List<Account> appAccounts(String appId, String after, int limit);

    /** Any account of the app (for the app's developer). */
    Optional<Account> appAccount(String appId, String accountId);

    /**
     * Stores a freshly linked account, or updates the one with the same external id (re-linking
     * revives a {@code REAUTH_REQUIRED} account). The tokens are sealed for the row.
     *
     * @param tokenUrl the token endpoint the tokens came from (refreshes go there)
     * @param instanceUrl the instance the user typed (password grants), or {@code null}
     * @return the account id
     */
    String storeLinked(String appId, String userId, String connectorId, AccountIdentity identity, TokenSet tokens, String tokenUrl,
                       String instanceUrl);

    /**
     * Unlinks: revokes at the provider where the connector can (a failure there is logged, not
     * fatal), then deletes the account and its tokens.
     *
     * @param userId the owner, or {@code null} when the app's developer unlinks
     * @return false when there is no such account (of this user)
     */
    boolean unlink(String appId, String userId, String accountId);

    /**
     * Revokes an account's access and keeps the account: the grant is revoked at the provider
     * where the connector can (a failure there is logged, not fatal), the tokens are dropped, the
     * account is {@code REVOKED} (calls answer {@code reauth-required}) until the user links it
     * again, and {@code account.revoked} is published in the same transaction.
     *
     * @return false when the app has no such account
     * @since 2.1.0
     */
    boolean revoke(String appId, String accountId);
}
