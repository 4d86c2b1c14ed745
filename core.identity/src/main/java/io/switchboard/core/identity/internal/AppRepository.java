package io.switchboard.core.identity.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Digests;
import io.switchboard.core.identity.internal.IdentityEntities.AppEntity;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The apps add-in developers register. Apps are read on every sign-in and CORS check, so they
 * are cached in memory; a write on this instance refreshes the cache at once, other instances
 * see it at their next revocation poll (at the latest within {@link #CACHE_SECONDS}).
 */
@Component(service = AppRepository.class)
public class AppRepository {
    static final int CACHE_SECONDS = 30;
    private static final ObjectMapper JSON = RequestJson.MAPPER;

    /** An app as the rest of the bundle sees it. */
    record App(String id, String name, AppSettings settings, Instant createdAt, Instant updatedAt) {}

    /** A new app or a rotated secret: the only moment the secret is visible. */
    record WithSecret(App app, String secret) {}

    private final Store store;
    private final EntityManagerFactory unit;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();
    private volatile Map<String, App> cache = Map.of();
    private volatile Instant cacheLoaded = Instant.EPOCH;

    @Activate
    public AppRepository(@Reference Store store,
                      @Reference(target = "(osgi.unit.name=switchboard.identity)") EntityManagerFactory unit,
                      @Reference AuditLog audit) {
        this.store = store;
        this.unit = unit;
        this.audit = audit;
    }

    Optional<App> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(apps().get(id));
    }

    App get(String id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("no app " + id));
    }

    List<App> list() {
        return apps().values().stream().sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    /** Every origin some app allows: the set preflight requests are answered for. */
    Set<String> allOrigins() {
        return apps().values().stream().flatMap(a -> a.settings().allowedOrigins().stream()).collect(Collectors.toSet());
    }

    WithSecret create(String name, AppSettings settings) {
        requireName(name);
        AppSettings valid = settings == null ? new AppSettings(null, null, null) : settings.validated();
        String secret = newSecret();
        AppEntity e = new AppEntity();
        e.id = "app_" + randomToken(15);
        e.name = name.trim();
        e.secretHash = Digests.sha256Hex(secret);
        e.settings = json(valid);
        e.createdAt = e.updatedAt = Timestamp.from(clock.instant());
        store.run(unit, em -> em.persist(e));
        audit.record(e.id, "operator", "app.created", e.id, null);
        reload();
        return new WithSecret(toApp(e), secret);
    }

    App update(String id, String name, AppSettings settings) {
        AppSettings valid = settings == null ? null : settings.validated();
        if (name != null) {
            requireName(name);
        }
        AppEntity updated = store.transaction(unit, em -> {
            AppEntity e = em.find(AppEntity.class, id);
            if (e == null) {
                throw ProblemException.notFound("no app " + id);
            }
            if (name != null) {
                e.name = name.trim();
            }
            if (valid != null) {
                e.settings = json(valid);
            }
            e.updatedAt = Timestamp.from(clock.instant());
            return e;
        });
        audit.record(id, "operator", "app.updated", id, null);
        reload();
        return toApp(updated);
    }

    WithSecret rotateSecret(String id) {
        String secret = newSecret();
        AppEntity updated = store.transaction(unit, em -> {
            AppEntity e = em.find(AppEntity.class, id);
            if (e == null) {
                throw ProblemException.notFound("no app " + id);
            }
            e.secretHash = Digests.sha256Hex(secret);
            e.updatedAt = Timestamp.from(clock.instant());
            return e;
        });
        audit.record(id, "operator", "app.secret-rotated", id, null);
        reload();
        return new WithSecret(toApp(updated), secret);
    }

    /** Deletes the app and, through the schema's cascades, its organizations, users and sessions. */
    void delete(String id) {
        boolean removed = store.transaction(unit, em -> {
            AppEntity e = em.find(AppEntity.class, id);
            if (e == null) {
                return false;
            }
            em.remove(e);
            return true;
        });
        if (!removed) {
            throw ProblemException.notFound("no app " + id);
        }
        audit.record(id, "operator", "app.deleted", id, null);
        reload();
    }

    /** Whether {@code secret} is the app's current secret (constant time). */
    boolean secretMatches(String appId, String secret) {
        String hash = store.transaction(unit, em -> {
            AppEntity e = em.find(AppEntity.class, appId);
            return e == null ? null : e.secretHash;
        });
        return hash != null && secret != null && Digests.constantTimeEquals(hash, Digests.sha256Hex(secret));
    }

    private Map<String, App> apps() {
        if (clock.instant().isAfter(cacheLoaded.plusSeconds(CACHE_SECONDS))) {
            synchronized (this) {
                // One thread reloads an expired cache; the others find it fresh when they get the lock.
                if (clock.instant().isAfter(cacheLoaded.plusSeconds(CACHE_SECONDS))) {
                    reload();
                }
            }
        }
        return cache;
    }

    /** Rereads every app now (the revocation poll: an app deleted on another instance is gone here too). */
    synchronized void reload() {
        List<AppEntity> rows = store.transaction(unit, em ->
                em.createQuery("SELECT a FROM AppEntity a", AppEntity.class).getResultList());
        Map<String, App> fresh = new ConcurrentHashMap<>();
        for (AppEntity row : rows) {
            fresh.put(row.id, toApp(row));
        }
        cache = fresh;
        cacheLoaded = clock.instant();
    }

    private static App toApp(AppEntity e) {
        try {
            return new App(e.id, e.name, JSON.readValue(e.settings, AppSettings.class),
                    e.createdAt.toInstant(), e.updatedAt.toInstant());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored settings of app " + e.id + " are unreadable", ex);
        }
    }

    private static String json(AppSettings settings) {
        try {
            return JSON.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new ProblemException(400, "validation", "Invalid app", "name is required (1–200 characters)");
        }
    }

    static String newSecret() {
        return "sbs_" + randomToken(32);
    }

    static String randomToken(int bytes) {
        return io.switchboard.core.api.util.Ids.secret(bytes);
    }
}
