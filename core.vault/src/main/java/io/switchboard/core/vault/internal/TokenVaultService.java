package io.switchboard.core.vault.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.events.Events;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.outbound.api.GrantRefusedException;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.outbound.api.ProviderUnavailableException;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.ConnectorDirectory;
import io.switchboard.core.vault.api.SealedRows;
import io.switchboard.core.vault.api.SealedSecrets;
import io.switchboard.core.vault.api.TokenVault;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linked accounts and their tokens (docs/security.md S12–S14). The rows themselves are
 * {@link AccountRows}'; this class keeps the token cache and refreshes.
 *
 * <p>Reading a token: the in-memory cache answers until shortly before expiry (and rereads the
 * row at most every {@code cache.recheck.seconds}, so a refresh or unlink on another instance is
 * seen within that bound). Otherwise one caller per account and JVM goes to the database (single
 * flight); it rereads the row, and if the token still needs a refresh it takes the row lock
 * ({@code SELECT ... FOR UPDATE}), rereads again, calls the provider while holding the lock, and
 * commits the new tokens before anyone uses them. The loser of a race across instances waits on
 * the lock and then finds the fresh token.
 *
 * <p>Failures: {@code invalid_grant} marks the account {@code REAUTH_REQUIRED} at once (and
 * records an {@code account.reauth_required} event); a 5xx, 429 or network failure leaves the
 * account {@code ACTIVE} and starts a cool-down (≥ 30 s, doubling, capped) during which callers
 * get 503 with {@code Retry-After} and the provider is not called.
 */
@Component(service = {TokenVault.class, SealedRows.class}, configurationPid = VaultConfig.PID)
public class TokenVaultService implements TokenVault, SealedRows {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVaultService.class);
    private static final String ACCESS = AccountRows.ACCESS;
    private static final String REFRESH = AccountRows.REFRESH;

    /** A token as read, with the connector instance that shaped it (headers, hosts, budget). */
    private record Cached(String appId, String userId, AccessToken token, Instant freshUntil, Instant recheckAt, Connector connector) {}

    private final Store store;
    private final EntityManagerFactory unit;
    private final SealedSecrets vault;
    private final AuditLog audit;
    private final ConnectorDirectory connectors;
    private final ProviderCalls calls;
    private final MeterRegistry meters;
    private final AccountRows rows;
    private final Duration skew;
    private final Duration cooldown;
    private final Duration cooldownMax;
    private final Duration recheck;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Cached>> inflight = new ConcurrentHashMap<>();

    /** Tells the app's webhooks of accounts needing re-consent, linked, deleted (core.webhooks; absent: nobody is told). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Events events;

    /** Background runs held for an account that needed re-consent go on once it is linked again. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Jobs jobs;

    /** Tests may register a {@link Clock} with {@code switchboard.clock=test} to compress time. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(switchboard.clock=test)")
    private volatile Clock testClock;

    /**
     * Shares its configuration PID with the vault: a master-key rotation must not restart this
     * component (requests keep being served). Other settings of the PID apply at the next start.
     */
    @Modified
    void modified() {
        // nothing: see above
    }

    @Activate
    public TokenVaultService(@Reference Store store, @Reference(target = "(osgi.unit.name=switchboard.vault)") EntityManagerFactory unit,
                             @Reference SealedSecrets vault, @Reference AuditLog audit, @Reference ConnectorDirectory connectors,
                             @Reference ProviderCalls calls, @Reference MeterRegistry meters, VaultConfig config) {
        this.store = store;
        this.meters = meters;
        this.unit = unit;
        this.vault = vault;
        this.audit = audit;
        this.connectors = connectors;
        this.calls = calls;
        this.rows = new AccountRows(store, unit, vault, audit, connectors, calls, () -> events, () -> jobs);
        this.skew = Duration.ofSeconds(Math.max(0, config.refresh_skew_seconds()));
        this.cooldown = Duration.ofSeconds(Math.max(30, config.cooldown_seconds()));
        this.cooldownMax = Duration.ofSeconds(Math.max(this.cooldown.toSeconds(), config.cooldown_max_seconds()));
        this.recheck = Duration.ofSeconds(Math.max(1, config.cache_recheck_seconds()));
    }

    Instant now() {
        Clock c = testClock;
        return c == null ? Instant.now() : c.instant();
    }

    // ---- accounts (the rows) ----

    @Override public Optional<Account> account(String appId, String userId, String accountId) {
        return rows.account(appId, userId, accountId);
    }

    @Override public List<Account> accounts(String appId, String userId) {
        return rows.accounts(appId, userId);
    }

    @Override public List<Account> appAccounts(String appId, String after, int limit) {
        return rows.appAccounts(appId, after, limit);
    }

    @Override public Optional<Account> appAccount(String appId, String accountId) {
        return rows.appAccount(appId, accountId);
    }

    @Override
    public String storeLinked(String appId, String userId, String connectorId, AccountIdentity identity, TokenSet tokens, String tokenUrl,
                              String instanceUrl) {
        String id = rows.storeLinked(now(), appId, userId, connectorId, identity, tokens, tokenUrl, instanceUrl);
        cache.remove(id);
        return id;
    }

    @Override
    public boolean unlink(String appId, String userId, String accountId) {
        boolean unlinked = rows.unlink(appId, userId, accountId);
        cache.remove(accountId);
        return unlinked;
    }

    @Override
    public boolean revoke(String appId, String accountId) {
        boolean revoked = rows.revoke(appId, accountId);
        cache.remove(accountId);
        return revoked;
    }

    @Override public String name() {
        return "accounts";
    }

    @Override public int rewrap() {
        return rows.rewrap();
    }

    // ---- tokens ----

    @Override
    public AccessToken accessToken(String appId, String accountId) {
        Cached c = cache.get(accountId);
        if (usable(c, appId)) {
            return c.token();
        }
        return singleFlight(accountId, () -> load(appId, accountId, null)).token();
    }

    @Override
    public AccessToken accessTokenFor(String appId, String userId, String accountId) {
        Cached c = cache.get(accountId);
        if (usable(c, appId)) {
            if (!c.userId().equals(userId)) {
                throw ProblemException.notFound("no such account");
            }
            return c.token();
        }
        Cached loaded = singleFlight(accountId, () -> load(appId, accountId, null));
        if (!loaded.userId().equals(userId)) {
            throw ProblemException.notFound("no such account");
        }
        return loaded.token();
    }

    /**
     * A cached token of this app that is neither near expiry nor due for a reread of its row, and
     * whose connector is still the one installed (an upgraded or removed connector's tokens are
     * reread at once, so its new headers, hosts and budget apply from the next call).
     */
    private boolean usable(Cached c, String appId) {
        Instant now = now();
        return c != null && c.appId().equals(appId) && now.isBefore(c.freshUntil()) && now.isBefore(c.recheckAt())
                && connectors.find(c.token().connectorId()).orElse(null) == c.connector();
    }

    @Override
    public AccessToken afterRejection(String appId, String accountId, AccessToken rejected) {
        Cached c = cache.get(accountId);
        if (c != null && c.appId().equals(appId) && c.token().version() > rejected.version()) {
            return c.token();
        }
        return singleFlight(accountId + "#" + rejected.version(), () -> load(appId, accountId, rejected.version())).token();
    }

    private Cached singleFlight(String key, Supplier<Cached> work) {
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        try {
            Cached token = work.get();
            mine.complete(token);
            return token;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private boolean needsRefresh(AccountEntity row, Long rejectedVersion, Instant now) {
        if (rejectedVersion != null) {
            return row.tokenVersion <= rejectedVersion;
        }
        return row.expiresAt != null && !now.plus(skew).isBefore(row.expiresAt.toInstant());
    }

    /** What happened under the row lock; acted upon after the commit. */
    private record Outcome(AccountEntity row, String failure, Duration retryAfter, boolean newlyReauth) {
        Outcome(AccountEntity row, String failure, Duration retryAfter) {
            this(row, failure, retryAfter, false);
        }
    }

    private Cached load(String appId, String accountId, Long rejectedVersion) {
        Instant now = now();
        AccountEntity row = rows.find(accountId);
        if (row == null || !row.appId.equals(appId)) {
            cache.remove(accountId);
            throw ProblemException.notFound("no such account");
        }
        checkStatus(row); // first: an account the user must link again says so even while its connector is away
        Connector connector = connectors.require(row.connectorId);
        if (!needsRefresh(row, rejectedVersion, now)) {
            return remember(row, connector, now);
        }
        checkCooldown(row, now);
        Outcome outcome = store.transaction(unit, em -> {
            Outcome o = refreshLocked(em, connector, accountId, rejectedVersion);
            if ("reauth".equals(o.failure()) && o.newlyReauth()) {
                rows.publish(em, o.row(), Events.ACCOUNT_REAUTH_REQUIRED); // in the transaction that marks it
            }
            return o;
        });
        if (outcome.failure() == null) {
            checkStatus(outcome.row());
            return remember(outcome.row(), connector, now());
        }
        cache.remove(accountId);
        if ("reauth".equals(outcome.failure())) {
            audit.record(appId, "vault", "account.reauth_required", accountId, outcome.row().connectorId);
            throw VaultProblems.reauth(outcome.row());
        }
        checkStatus(outcome.row());
        throw VaultProblems.unavailable(outcome.retryAfter());
    }

    private Outcome refreshLocked(EntityManager em, Connector connector, String accountId, Long rejectedVersion) {
        AccountEntity row = em.find(AccountEntity.class, accountId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = now();
        if (row == null) {
            throw ProblemException.notFound("no such account");
        }
        if (!Status.ACTIVE.name().equals(row.status) || !needsRefresh(row, rejectedVersion, now)) {
            return new Outcome(row, null, null); // someone else refreshed (or marked it) while we waited for the lock
        }
        if (row.cooldownUntil != null && now.isBefore(row.cooldownUntil.toInstant())) {
            return new Outcome(row, "cooldown", Duration.between(now, row.cooldownUntil.toInstant()));
        }
        if (row.refreshToken == null) {
            return markReauth(row, now, "no refresh token");
        }
        ConnectorSettings settings = connectors.settings(row.appId, row.connectorId);
        String refreshToken = vault.open(row.refreshToken, row.appId, row.id, REFRESH);
        try {
            TokenSet fresh = calls.requestTokens(connector, settings, row.tokenUrl,
                    Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), row.instanceUrl, now);
            row.accessToken = vault.seal(fresh.accessToken(), row.appId, row.id, ACCESS);
            if (fresh.refreshToken() != null) {
                row.refreshToken = vault.seal(fresh.refreshToken(), row.appId, row.id, REFRESH);
            }
            row.expiresAt = fresh.expiresAt() == null ? null : Timestamp.from(fresh.expiresAt());
            if (!fresh.scopes().isEmpty()) {
                row.scopes = String.join(" ", fresh.scopes());
            }
            row.tokenVersion++;
            row.failures = 0;
            row.cooldownUntil = null;
            row.lastError = null;
            row.updatedAt = Timestamp.from(now);
            LOG.info("refreshed the tokens of account {} (generation {})", row.id, row.tokenVersion);
            refreshed(row, "ok");
            return new Outcome(row, null, null);
        } catch (GrantRefusedException e) {
            if (e.reauth()) {
                return markReauth(row, now, e.error());
            }
            return coolDown(row, now, "grant refused: " + e.error(), null);
        } catch (ProviderUnavailableException e) {
            return coolDown(row, now, e.getMessage(), e.retryAfter());
        }
    }

    /** {@code switchboard.vault.refreshes} per connector and outcome (ok, reauth, failed) in /metrics. */
    private void refreshed(AccountEntity row, String outcome) {
        meters.counter("switchboard.vault.refreshes", "connector", row.connectorId, "outcome", outcome).increment();
    }

    private Outcome markReauth(AccountEntity row, Instant now, String why) {
        LOG.info("account {} needs re-authorization ({})", row.id, why);
        refreshed(row, "reauth");
        row.status = Status.REAUTH_REQUIRED.name();
        row.lastError = AccountRows.truncate(why, 200);
        row.updatedAt = Timestamp.from(now);
        return new Outcome(row, "reauth", null, true);
    }

    private Outcome coolDown(AccountEntity row, Instant now, String why, Duration providerRetryAfter) {
        row.failures++;
        Duration wait = cooldown.multipliedBy(1L << Math.min(row.failures - 1, 10));
        if (wait.compareTo(cooldownMax) > 0) {
            wait = cooldownMax;
        }
        if (providerRetryAfter != null && providerRetryAfter.compareTo(wait) > 0) {
            wait = providerRetryAfter.compareTo(cooldownMax) > 0 ? cooldownMax : providerRetryAfter;
        }
        row.cooldownUntil = Timestamp.from(now.plus(wait));
        row.lastError = AccountRows.truncate(why, 200);
        row.updatedAt = Timestamp.from(now);
        LOG.warn("refresh of account {} failed ({}); cooling down for {} s", row.id, why, wait.toSeconds());
        refreshed(row, "failed");
        return new Outcome(row, "unavailable", wait);
    }

    private Cached remember(AccountEntity row, Connector connector, Instant now) {
        String value = vault.open(row.accessToken, row.appId, row.id, ACCESS);
        Instant expires = row.expiresAt == null ? null : row.expiresAt.toInstant();
        AccessToken token = new AccessToken(row.id, value, connector.authorization(value), expires, row.tokenVersion, row.baseUrl,
                row.connectorId, AccountRows.safeHosts(connector, row), AccountRows.safeProxyPaths(connector, row), connector.budget());
        Instant freshUntil = expires == null ? Instant.MAX : expires.minus(skew);
        Cached cached = new Cached(row.appId, row.userId, token, freshUntil, now.plus(recheck), connector);
        cache.put(row.id, cached);
        return cached;
    }

    private void checkStatus(AccountEntity row) {
        Status status = Status.valueOf(row.status);
        if (status == Status.REAUTH_REQUIRED || status == Status.REVOKED) {
            throw VaultProblems.reauth(row);
        }
    }

    private void checkCooldown(AccountEntity row, Instant now) {
        if (row.cooldownUntil != null && now.isBefore(row.cooldownUntil.toInstant())) {
            throw VaultProblems.unavailable(Duration.between(now, row.cooldownUntil.toInstant()));
        }
    }
}
