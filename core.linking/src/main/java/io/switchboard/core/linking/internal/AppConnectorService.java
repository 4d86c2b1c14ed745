package io.switchboard.core.linking.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.linking.internal.LinkingEntities.AppConnectorEntity;
import io.switchboard.core.vault.api.SealedRows;
import io.switchboard.core.vault.api.SealedSecrets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An app's own OAuth client per connector. The client secret is sealed in the row
 * (app + row id + {@code client_secret} as associated data) and only ever opened in memory.
 */
@Component(service = {AppConnectorService.class, SealedRows.class})
public class AppConnectorService implements SealedRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OPTION_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern OPTION_VALUE = Pattern.compile("[A-Za-z0-9._:/@+~%,-]{1,500}"); // URL-safe; "," for lists (features)
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,200}");

    /** What the admin API shows: never the secret. */
    record View(String connectorId, String clientId, boolean clientSecretSet, List<String> scopes, Map<String, String> options,
                String updatedAt) {}

    private final Store store;
    private final EntityManagerFactory unit;
    private final SealedSecrets vault;
    private final AuditLog audit;

    @Activate
    public AppConnectorService(@Reference Store store, @Reference(target = "(osgi.unit.name=switchboard.linking)") EntityManagerFactory unit,
                               @Reference SealedSecrets vault, @Reference AuditLog audit) {
        this.store = store;
        this.unit = unit;
        this.vault = vault;
        this.audit = audit;
    }

    /** Creates or replaces an app's settings for a connector; a {@code null} secret keeps the stored one. */
    View put(String appId, String connectorId, String clientId, String clientSecret, List<String> scopes, Map<String, String> options,
             String actor) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 512) {
            throw ProblemException.badRequest("clientId is required (at most 512 characters)");
        }
        if (clientSecret != null && clientSecret.length() > 2000) {
            throw ProblemException.badRequest("clientSecret is too long");
        }
        List<String> scopeList = scopes == null ? List.of() : scopes;
        for (String s : scopeList) {
            if (s == null || !SCOPE.matcher(s).matches()) {
                throw ProblemException.badRequest("scopes must be RFC 6749 scope tokens");
            }
        }
        Map<String, String> opts = options == null ? Map.of() : options;
        opts.forEach((k, v) -> {
            if (!OPTION_NAME.matcher(k).matches() || v == null || !OPTION_VALUE.matcher(v).matches()) {
                throw ProblemException.badRequest("options are name: value pairs of URL-safe characters (option '" + k + "')");
            }
        });
        Timestamp now = Timestamp.from(Instant.now());
        AppConnectorEntity saved = store.transaction(unit, em -> {
            AppConnectorEntity row = find(em, appId, connectorId);
            if (row == null) {
                if (clientSecret == null) {
                    throw ProblemException.badRequest("clientSecret is required when a connector is enabled (may be \"\")");
                }
                row = new AppConnectorEntity();
                row.id = Ids.uuid();
                row.appId = appId;
                row.connectorId = connectorId;
                row.createdAt = now;
                em.persist(row);
            }
            row.clientId = clientId;
            if (clientSecret != null) {
                row.clientSecret = vault.seal(clientSecret, appId, row.id, "client_secret");
            }
            row.scopes = String.join(" ", scopeList);
            row.options = writeJson(new TreeMap<>(opts));
            row.updatedAt = now;
            return row;
        });
        audit.record(appId, actor, "connector.configured", connectorId, clientSecret == null ? "secret kept" : "secret set");
        return view(saved);
    }

    Optional<View> get(String appId, String connectorId) {
        return Optional.ofNullable(store.transaction(unit, em -> find(em, appId, connectorId))).map(AppConnectorService::view);
    }

    List<View> list(String appId) {
        return store.transaction(unit, em -> em.createQuery(
                        "SELECT c FROM AppConnector c WHERE c.appId = :app ORDER BY c.connectorId", AppConnectorEntity.class)
                .setParameter("app", appId).getResultList()).stream().map(AppConnectorService::view).toList();
    }

    boolean delete(String appId, String connectorId, String actor) {
        boolean deleted = store.transaction(unit, em -> {
            AppConnectorEntity row = find(em, appId, connectorId);
            if (row != null) {
                em.remove(row);
            }
            return row != null;
        });
        if (deleted) {
            audit.record(appId, actor, "connector.disabled", connectorId, null);
        }
        return deleted;
    }

    /** The settings with the secret opened. @throws ProblemException 404 when the app has not enabled the connector */
    ConnectorSettings settings(String appId, String connectorId) {
        AppConnectorEntity row = store.transaction(unit, em -> find(em, appId, connectorId));
        if (row == null) {
            throw new ProblemException(404, "connector-not-enabled", "Connector not enabled",
                    "the app has not configured the connector '" + connectorId + "'");
        }
        return new ConnectorSettings(row.clientId, vault.open(row.clientSecret, appId, row.id, "client_secret"),
                row.scopes.isBlank() ? List.of() : List.of(row.scopes.split(" ")), readJson(row.options));
    }

    @Override
    public String name() {
        return "clientSecrets";
    }

    /** Re-seals every client secret sealed with an older key; returns how many rows changed. */
    @Override
    public int rewrap() {
        List<String> ids = store.transaction(unit, em -> em.createQuery("SELECT c.id FROM AppConnector c", String.class).getResultList());
        int changed = 0;
        for (String id : ids) {
            boolean done = store.transaction(unit, em -> {
                AppConnectorEntity row = em.find(AppConnectorEntity.class, id, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
                if (row == null || !vault.needsRewrap(row.clientSecret)) {
                    return false;
                }
                row.clientSecret = vault.rewrap(row.clientSecret, row.appId, row.id, "client_secret");
                return true;
            });
            changed += done ? 1 : 0;
        }
        return changed;
    }

    private static AppConnectorEntity find(EntityManager em, String appId, String connectorId) {
        List<AppConnectorEntity> rows = em.createQuery(
                        "SELECT c FROM AppConnector c WHERE c.appId = :app AND c.connectorId = :c", AppConnectorEntity.class)
                .setParameter("app", appId).setParameter("c", connectorId).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static View view(AppConnectorEntity row) {
        return new View(row.connectorId, row.clientId, row.clientSecret != null,
                row.scopes.isBlank() ? List.of() : new ArrayList<>(List.of(row.scopes.split(" "))), readJson(row.options),
                row.updatedAt.toInstant().toString());
    }

    static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readJson(String json) {
        try {
            return json == null || json.isBlank() ? Map.of()
                    : JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored options", e);
        }
    }
}
