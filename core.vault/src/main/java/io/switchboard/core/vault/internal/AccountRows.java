package io.switchboard.core.vault.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.api.events.Events;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.ConnectorDirectory;
import io.switchboard.core.vault.api.SealedSecrets;
import io.switchboard.core.vault.api.TokenVault.Account;
import io.switchboard.core.vault.api.TokenVault.Status;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account rows behind the vault: listing them, storing a freshly linked account, unlinking
 * (revocation at the provider first), the sealed token columns, and re-wrapping them. The token
 * cache and refreshes are {@link TokenVaultService}'s.
 */
final class AccountRows {
    private static final Logger LOG = LoggerFactory.getLogger(AccountRows.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCESS = "access_token";
    static final String REFRESH = "refresh_token";

    private final Store store;
    private final EntityManagerFactory unit;
    private final SealedSecrets secrets;
    private final AuditLog audit;
    private final ConnectorDirectory connectors;
    private final ProviderCalls calls;
    private final Supplier<Events> events;
    private final Supplier<Jobs> jobs;

    AccountRows(Store store, EntityManagerFactory unit, SealedSecrets secrets, AuditLog audit, ConnectorDirectory connectors,
                ProviderCalls calls, Supplier<Events> events, Supplier<Jobs> jobs) {
        this.events = events;
        this.jobs = jobs;
        this.store = store;
        this.unit = unit;
        this.secrets = secrets;
        this.audit = audit;
        this.connectors = connectors;
        this.calls = calls;
    }

    AccountEntity find(String accountId) {
        return store.transaction(unit, em -> em.find(AccountEntity.class, accountId));
    }

    Optional<Account> account(String appId, String userId, String accountId) {
        AccountEntity row = find(accountId);
        if (row == null || !row.appId.equals(appId) || !row.userId.equals(userId)) {
            return Optional.empty();
        }
        return Optional.of(view(row));
    }

    List<Account> accounts(String appId, String userId) {
        return store.transaction(unit, em -> em.createQuery(
                        "SELECT a FROM Account a WHERE a.appId = :app AND a.userId = :user ORDER BY a.createdAt, a.id", AccountEntity.class)
                .setParameter("app", appId).setParameter("user", userId).getResultList()).stream().map(this::view).toList();
    }

    /** An app's accounts, {@code limit} at a time after the account id {@code after}. */
    List<Account> appAccounts(String appId, String after, int limit) {
        return store.transaction(unit, em -> em.createQuery(
                        "SELECT a FROM Account a WHERE a.appId = :app AND a.id > :after ORDER BY a.id", AccountEntity.class)
                .setParameter("app", appId).setParameter("after", after == null ? "" : after).setMaxResults(limit)
                .getResultList()).stream().map(this::view).toList();
    }

    Optional<Account> appAccount(String appId, String accountId) {
        AccountEntity row = find(accountId);
        return row == null || !row.appId.equals(appId) ? Optional.empty() : Optional.of(view(row));
    }

    Account view(AccountEntity row) {
        Optional<Connector> connector = connectors.find(row.connectorId);
        Status status = Status.valueOf(row.status);
        if (connector.isEmpty() && status == Status.ACTIVE) {
            status = Status.CONNECTOR_MISSING;
        }
        Set<String> hosts = connector.map(c -> safeHosts(c, row)).orElse(Set.of());
        return new Account(row.id, row.appId, row.userId, row.connectorId, row.externalId, row.displayName, row.baseUrl, status,
                hosts, row.createdAt.toInstant(), row.updatedAt.toInstant());
    }

    static Set<String> safeHosts(Connector c, AccountEntity row) {
        try {
            return Set.copyOf(c.allowedHosts(new AccountIdentity(row.externalId, row.displayName, row.baseUrl)));
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    /** The connector's proxy paths for the account; none (the proxy then refuses every path) when it cannot say. */
    static List<String> safeProxyPaths(Connector c, AccountEntity row) {
        try {
            return List.copyOf(c.proxyPaths(new AccountIdentity(row.externalId, row.displayName, row.baseUrl)));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** See {@link io.switchboard.core.vault.api.TokenVault#storeLinked}. */
    String storeLinked(Instant at, String appId, String userId, String connectorId, AccountIdentity identity, TokenSet tokens, String tokenUrl,
                       String instanceUrl) {
        Timestamp now = Timestamp.from(at);
        String id = store.transaction(unit, em -> {
            List<AccountEntity> existing = em.createQuery("SELECT a FROM Account a WHERE a.appId = :app AND a.userId = :user "
                            + "AND a.connectorId = :c AND a.externalId = :x", AccountEntity.class)
                    .setParameter("app", appId).setParameter("user", userId).setParameter("c", connectorId)
                    .setParameter("x", identity.externalId()).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            AccountEntity row;
            if (existing.isEmpty()) {
                row = new AccountEntity();
                row.id = Ids.uuid();
                row.appId = appId;
                row.userId = userId;
                row.connectorId = connectorId;
                row.externalId = identity.externalId();
                row.createdAt = now;
                row.tokenVersion = 0;
            } else {
                row = existing.get(0);
            }
            row.displayName = truncate(identity.displayName(), 512);
            row.baseUrl = identity.baseUrl();
            row.tokenUrl = tokenUrl;
            row.instanceUrl = instanceUrl;
            row.scopes = String.join(" ", tokens.scopes());
            row.attributes = writeJson(tokens.attributes());
            row.status = Status.ACTIVE.name();
            row.accessToken = secrets.seal(tokens.accessToken(), appId, row.id, ACCESS);
            row.refreshToken = tokens.refreshToken() == null ? null : secrets.seal(tokens.refreshToken(), appId, row.id, REFRESH);
            row.expiresAt = tokens.expiresAt() == null ? null : Timestamp.from(tokens.expiresAt());
            row.tokenVersion++;
            row.failures = 0;
            row.cooldownUntil = null;
            row.lastError = null;
            row.updatedAt = now;
            if (existing.isEmpty()) {
                em.persist(row);
            }
            publish(em, row, Events.ACCOUNT_LINKED); // in the same transaction: never a linked account without its event
            return row.id;
        });
        Jobs background = jobs.get();
        if (background != null) {
            background.release(id); // runs held while the account needed re-consent go on
        }
        audit.record(appId, "user:" + userId, "account.linked", id, connectorId);
        return id;
    }

    /** Publishes an account event in the running transaction {@code em}, when core.webhooks is there. */
    void publish(EntityManager em, AccountEntity row, String type) {
        publish(em, row, type, null);
    }

    private void publish(EntityManager em, AccountEntity row, String type, Boolean revokedAtProvider) {
        Events outbox = events.get();
        if (outbox != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account", row.id);
            data.put("connector", row.connectorId);
            data.put("user", row.userId);
            data.put("displayName", row.displayName);
            data.put("status", row.status);
            if (revokedAtProvider != null) {
                data.put("revokedAtProvider", revokedAtProvider);
            }
            outbox.publish(em, row.appId, type, data);
        }
    }

    /** See {@link io.switchboard.core.vault.api.TokenVault#unlink}. */
    boolean unlink(String appId, String userId, String accountId) {
        AccountEntity row = find(accountId);
        if (row == null || !row.appId.equals(appId) || (userId != null && !row.userId.equals(userId))) {
            return false;
        }
        boolean revoked = revokeAtProvider(row);
        store.run(unit, em -> {
            AccountEntity r = em.find(AccountEntity.class, accountId);
            if (r != null) {
                publish(em, r, Events.ACCOUNT_DELETED, revoked);
                em.remove(r);
            }
        });
        audit.record(appId, userId == null ? "app" : "user:" + userId, "account.unlinked", accountId,
                row.connectorId + (revoked ? " (revoked at provider)" : " (not revoked at provider)"));
        return true;
    }

    /** See {@link io.switchboard.core.vault.api.TokenVault#revoke}. */
    boolean revoke(String appId, String accountId) {
        AccountEntity row = find(accountId);
        if (row == null || !row.appId.equals(appId)) {
            return false;
        }
        boolean revoked = revokeAtProvider(row);
        store.run(unit, em -> {
            AccountEntity r = em.find(AccountEntity.class, accountId, LockModeType.PESSIMISTIC_WRITE);
            if (r != null && Status.valueOf(r.status) != Status.REVOKED) {
                r.status = Status.REVOKED.name();
                r.accessToken = secrets.seal("", r.appId, r.id, ACCESS); // the column is required; the token is gone
                r.refreshToken = null;
                r.expiresAt = null;
                r.tokenVersion++;
                r.cooldownUntil = null;
                r.updatedAt = Timestamp.from(Instant.now());
                publish(em, r, Events.ACCOUNT_REVOKED, revoked); // in the transaction that drops the tokens
            }
        });
        audit.record(appId, "app", "account.revoked", accountId,
                row.connectorId + (revoked ? " (revoked at provider)" : " (not revoked at provider)"));
        return true;
    }

    /** Revokes the account's grant at the provider where its connector can; false when it could not (logged, not fatal). */
    private boolean revokeAtProvider(AccountEntity row) {
        Optional<Connector> connector = connectors.find(row.connectorId);
        if (connector.isEmpty() || Status.valueOf(row.status) == Status.REVOKED) {
            return false;
        }
        try {
            connector.get().revoke(linked(connector.get(), row), calls);
            return true;
        } catch (Exception e) {
            LOG.warn("revocation of account {} at connector {} failed ({}); its tokens are dropped here anyway",
                    row.id, row.connectorId, e.getClass().getSimpleName());
            return false;
        }
    }

    private LinkedAccount linked(Connector connector, AccountEntity row) {
        ConnectorSettings settings = connectors.settings(row.appId, row.connectorId);
        Map<String, String> endpoints = new LinkedHashMap<>(connector.auth().endpoints(settings, row.instanceUrl));
        endpoints.put("token", row.tokenUrl);
        return new LinkedAccount(settings, endpoints, tokens(row));
    }

    TokenSet tokens(AccountEntity row) {
        return new TokenSet(secrets.open(row.accessToken, row.appId, row.id, ACCESS),
                row.refreshToken == null ? null : secrets.open(row.refreshToken, row.appId, row.id, REFRESH),
                row.expiresAt == null ? null : row.expiresAt.toInstant(),
                row.scopes.isBlank() ? List.of() : List.of(row.scopes.split(" ")), readJson(row.attributes));
    }

    /** Re-seals every account token sealed with an older master key; returns how many rows changed. */
    int rewrap() {
        List<String> ids = store.transaction(unit, em -> em.createQuery("SELECT a.id FROM Account a", String.class).getResultList());
        int changed = 0;
        for (String id : ids) {
            boolean done = store.transaction(unit, em -> {
                AccountEntity row = em.find(AccountEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
                if (row == null || !(secrets.needsRewrap(row.accessToken)
                        || (row.refreshToken != null && secrets.needsRewrap(row.refreshToken)))) {
                    return false;
                }
                row.accessToken = secrets.rewrap(row.accessToken, row.appId, row.id, ACCESS);
                if (row.refreshToken != null) {
                    row.refreshToken = secrets.rewrap(row.refreshToken, row.appId, row.id, REFRESH);
                }
                return true;
            });
            changed += done ? 1 : 0;
        }
        return changed;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String writeJson(Map<String, String> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readJson(String json) {
        try {
            return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored attributes", e);
        }
    }
}
