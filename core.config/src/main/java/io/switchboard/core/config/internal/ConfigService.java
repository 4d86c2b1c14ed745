package io.switchboard.core.config.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.config.internal.ConfigEntities.DocumentEntity;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Stores configuration documents: JSON objects addressed by (app, scope, owner, key), each with a
 * version that increases on every write and a list of top-level members it locks for the scopes
 * below it. Conditional writes compare the version under a row lock, so concurrent
 * read-modify-write clients never lose an update: the losers get 412.
 */
@Designate(ocd = DocumentLimits.class)
@Component(service = ConfigService.class, configurationPid = DocumentLimits.PID)
public class ConfigService {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    enum Scope { APP, ORG, USER;
        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A stored document. */
    record Document(String key, Scope scope, JsonNode body, Set<String> locked, long version, Instant updatedAt) {
        String etag() {
            return "\"" + version + "\"";
        }
    }

    private final Store store;
    private final EntityManagerFactory unit;
    private final AuditLog audit;
    private final int maxBytes;

    @Activate
    public ConfigService(@Reference Store store, @Reference(target = "(osgi.unit.name=switchboard.config)") EntityManagerFactory unit,
                         @Reference AuditLog audit, DocumentLimits config) {
        this.store = store;
        this.unit = unit;
        this.audit = audit;
        this.maxBytes = config.max_document_bytes();
    }

    static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new ProblemException(400, "validation", "Invalid key",
                    "keys are 1–64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
    }

    /** Parses a request body into a JSON object, enforcing the size limit. */
    JsonNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(400, "validation", "Bad Request", "a JSON object is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new ProblemException(413, "payload-too-large", "Payload Too Large",
                    "configuration documents are limited to " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-json", "Malformed JSON", "the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(400, "validation", "Bad Request", "a configuration document is a JSON object");
        }
        return node;
    }

    Document get(String appId, Scope scope, String owner, String key) {
        checkKey(key);
        return store.transaction(unit, em -> {
            DocumentEntity e = find(em, appId, scope, owner, key, false);
            return e == null ? null : toDocument(e);
        });
    }

    /**
     * Writes a document. {@code patch} applies {@code body} as a JSON Merge Patch to the stored one
     * instead of replacing it. {@code ifMatch} is the version the caller read, or {@code null}.
     */
    Document write(String appId, Scope scope, String owner, String key, JsonNode body, boolean patch,
                   Long ifMatch, boolean requireIfMatch, String actor) {
        return write(appId, scope, owner, key, body, patch, ifMatch, requireIfMatch, actor, null);
    }

    /**
     * As above; {@code organizationId} is the writer's organization (for a user document), so the
     * document the writer will read back can be checked against the key's schema.
     */
    Document write(String appId, Scope scope, String owner, String key, JsonNode body, boolean patch,
                   Long ifMatch, boolean requireIfMatch, String actor, String organizationId) {
        checkKey(key);
        requireCondition(requireIfMatch, ifMatch);
        try {
            Document written = store.transaction(unit, em -> {
                DocumentEntity e = find(em, appId, scope, owner, key, true);
                checkVersion(e, ifMatch);
                // RFC 7396: a patch of a document that does not exist yet applies to {}, so its nulls are not stored
                JsonNode result = patch ? MergePatch.apply(e != null ? read(e.body) : JSON.createObjectNode(), body) : body;
                String text = text(result);
                if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                    throw new ProblemException(413, "payload-too-large", "Payload Too Large",
                            "configuration documents are limited to " + maxBytes + " bytes");
                }
                checkSchema(em, appId, scope, owner, key, result, organizationId);
                if (e == null) {
                    e = newDocument(em, appId, scope, owner, key);
                }
                e.body = text;
                e.version++;
                e.updatedAt = Timestamp.from(Instant.now());
                e.updatedBy = actor;
                return toDocument(e);
            });
            audit.record(appId, actor, "config.changed", scope.id() + "/" + key, "members: " + memberNames(body));
            return written;
        } catch (PersistenceException e) {
            // Two first writes of the same document at once: the second one lost the race.
            throw new ProblemException(412, "precondition-failed", "Precondition Failed",
                    "the document changed while it was being written; read it and try again");
        }
    }

    /** Sets which top-level members of this document the scopes below may not override. */
    Document lock(String appId, Scope scope, String owner, String key, List<String> members, Long ifMatch, boolean requireIfMatch,
                  String actor) {
        checkKey(key);
        requireCondition(requireIfMatch, ifMatch);
        Document locked = store.transaction(unit, em -> {
            DocumentEntity e = find(em, appId, scope, owner, key, true);
            checkVersion(e, ifMatch);
            if (e == null) {
                e = newDocument(em, appId, scope, owner, key);
            }
            e.locked = text(JSON.valueToTree(new TreeSet<>(members)));
            e.version++;
            e.updatedAt = Timestamp.from(Instant.now());
            e.updatedBy = actor;
            return toDocument(e);
        });
        audit.record(appId, actor, "config.locked", scope.id() + "/" + key, "locked: " + String.join(",", new TreeSet<>(members)));
        return locked;
    }

    boolean delete(String appId, Scope scope, String owner, String key, Long ifMatch, boolean requireIfMatch, String actor) {
        checkKey(key);
        requireCondition(requireIfMatch, ifMatch);
        boolean deleted = store.transaction(unit, em -> {
            DocumentEntity e = find(em, appId, scope, owner, key, true);
            if (e == null) {
                return false;
            }
            checkVersion(e, ifMatch);
            em.remove(e);
            return true;
        });
        if (deleted) {
            audit.record(appId, actor, "config.deleted", scope.id() + "/" + key, null);
        }
        return deleted;
    }

    /**
     * The app document overlaid by the organization's (without the members the app locked) and then
     * the user's (without the members the app or the organization locked), as JSON Merge Patches.
     */
    static JsonNode compose(JsonNode app, Set<String> lockedByApp, JsonNode org, Set<String> lockedByOrg, JsonNode user) {
        JsonNode result = app == null ? JSON.createObjectNode() : app;
        if (org != null) {
            result = MergePatch.apply(result, MergePatch.without(org, lockedByApp));
        }
        if (user != null) {
            Set<String> locked = new TreeSet<>(lockedByApp);
            locked.addAll(lockedByOrg);
            result = MergePatch.apply(result, MergePatch.without(user, locked));
        }
        return result;
    }

    /** The app document overlaid by the organization's and then the user's, honouring locks. */
    Map<String, Object> effective(String appId, String organizationId, String userId, String key) {
        checkKey(key);
        return store.transaction(unit, em -> {
            DocumentEntity app = find(em, appId, Scope.APP, appId, key, false);
            DocumentEntity org = organizationId == null ? null : find(em, appId, Scope.ORG, organizationId, key, false);
            DocumentEntity user = find(em, appId, Scope.USER, userId, key, false);
            Set<String> lockedByApp = app == null ? Set.of() : locked(app.locked);
            Set<String> lockedByOrg = org == null ? Set.of() : locked(org.locked);
            JsonNode result = compose(app == null ? null : read(app.body), lockedByApp,
                    org == null ? null : read(org.body), lockedByOrg, user == null ? null : read(user.body));
            Set<String> locked = new TreeSet<>(lockedByApp);
            locked.addAll(lockedByOrg);
            Map<String, Object> versions = new LinkedHashMap<>();
            versions.put("app", app == null ? null : app.version);
            versions.put("org", org == null ? null : org.version);
            versions.put("user", user == null ? null : user.version);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", key);
            body.put("document", result);
            body.put("locked", List.copyOf(locked));
            body.put("versions", versions);
            return body;
        });
    }

    /** Validates what the writer will read back (the composed document) against the key's schema, if any. */
    private void checkSchema(EntityManager em, String appId, Scope scope, String owner, String key, JsonNode written,
                             String organizationId) {
        List<ConfigEntities.SchemaEntity> schemas = em.createQuery(
                "SELECT s FROM ConfigSchema s WHERE s.appId = :app AND s.key = :key", ConfigEntities.SchemaEntity.class)
                .setParameter("app", appId).setParameter("key", key).getResultList();
        if (schemas.isEmpty()) {
            return;
        }
        JsonNode composed;
        if (scope == Scope.APP) {
            composed = written;
        } else {
            DocumentEntity app = find(em, appId, Scope.APP, appId, key, false);
            Set<String> lockedByApp = app == null ? Set.of() : locked(app.locked);
            JsonNode appBody = app == null ? null : read(app.body);
            if (scope == Scope.ORG) {
                composed = compose(appBody, lockedByApp, written, Set.of(), null);
            } else {
                DocumentEntity org = organizationId == null ? null : find(em, appId, Scope.ORG, organizationId, key, false);
                composed = compose(appBody, lockedByApp, org == null ? null : read(org.body),
                        org == null ? Set.of() : locked(org.locked), written);
            }
        }
        Schemas.validate(Schemas.compile(read(schemas.get(0).body)), composed, key);
    }

    JsonNode schema(String appId, String key) {
        checkKey(key);
        return store.transaction(unit, em -> em.createQuery(
                "SELECT s FROM ConfigSchema s WHERE s.appId = :app AND s.key = :key", ConfigEntities.SchemaEntity.class)
                .setParameter("app", appId).setParameter("key", key).getResultList().stream()
                .findFirst().map(s -> read(s.body)).orElse(null));
    }

    void putSchema(String appId, String key, JsonNode schema) {
        checkKey(key);
        Schemas.compile(schema);
        store.run(unit, em -> {
            List<ConfigEntities.SchemaEntity> rows = em.createQuery(
                    "SELECT s FROM ConfigSchema s WHERE s.appId = :app AND s.key = :key", ConfigEntities.SchemaEntity.class)
                    .setParameter("app", appId).setParameter("key", key).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            ConfigEntities.SchemaEntity row = rows.isEmpty() ? new ConfigEntities.SchemaEntity() : rows.get(0);
            if (rows.isEmpty()) {
                row.id = Ids.uuid();
                row.appId = appId;
                row.key = key;
                em.persist(row);
            }
            row.body = text(schema);
            row.updatedAt = Timestamp.from(Instant.now());
        });
        audit.record(appId, "developer", "config.schema-set", key, null);
    }

    boolean deleteSchema(String appId, String key) {
        checkKey(key);
        int removed = store.transaction(unit, em -> em.createQuery("DELETE FROM ConfigSchema s WHERE s.appId = :app AND s.key = :key")
                .setParameter("app", appId).setParameter("key", key).executeUpdate());
        return removed > 0;
    }

    /** An empty, unlocked document at version 0, persisted; the caller sets what it writes. */
    private static DocumentEntity newDocument(EntityManager em, String appId, Scope scope, String owner, String key) {
        DocumentEntity e = new DocumentEntity();
        e.id = Ids.uuid();
        e.appId = appId;
        e.scope = scope.id();
        e.ownerId = owner;
        e.key = key;
        e.body = "{}";
        e.locked = "[]";
        e.version = 0;
        em.persist(e);
        return e;
    }

    /** An app that requires conditional writes gets 428 for a write, lock or delete without If-Match. */
    private static void requireCondition(boolean requireIfMatch, Long ifMatch) {
        if (requireIfMatch && ifMatch == null) {
            throw new ProblemException(428, "precondition-required", "Precondition Required",
                    "this app requires conditional writes: send If-Match with the document's ETag");
        }
    }

    private static void checkVersion(DocumentEntity e, Long ifMatch) {
        if (ifMatch == null) {
            return;
        }
        if (e == null || (ifMatch >= 0 && e.version != ifMatch)) {
            throw new ProblemException(412, "precondition-failed", "Precondition Failed",
                    "the document has changed since it was read (If-Match does not match the ETag)");
        }
    }

    private static DocumentEntity find(EntityManager em, String appId, Scope scope, String owner, String key, boolean lock) {
        javax.persistence.TypedQuery<DocumentEntity> q = em.createQuery(
                "SELECT d FROM ConfigDocument d WHERE d.appId = :app AND d.scope = :scope AND d.ownerId = :owner AND d.key = :key",
                DocumentEntity.class)
                .setParameter("app", appId).setParameter("scope", scope.id()).setParameter("owner", owner).setParameter("key", key);
        if (lock) {
            q.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        List<DocumentEntity> rows = q.getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Document toDocument(DocumentEntity e) {
        return new Document(e.key, Scope.valueOf(e.scope.toUpperCase(java.util.Locale.ROOT)), read(e.body), locked(e.locked),
                e.version, e.updatedAt.toInstant());
    }

    private static Set<String> locked(String json) {
        Set<String> names = new TreeSet<>();
        JsonNode node = read(json);
        if (node instanceof ArrayNode array) {
            array.forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored configuration document is not JSON", e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The top-level member names a write touched, for the audit log (never their values). */
    private static String memberNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        if (body instanceof ObjectNode object) {
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
        }
        return String.join(",", names);
    }
}
