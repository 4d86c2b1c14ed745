package io.switchboard.core.store.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.switchboard.core.store.api.Store;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each bundle owns its schema (the extender pattern, like Aries JPA's {@code Meta-Persistence}):
 * a starting bundle with a {@code Switchboard-Schema} header has its scripts applied on the
 * migration thread, once the schemas it requires are in place, and then its schema name is added
 * to the DataSource's {@code switchboard.schemas} property. A persistence unit that names its
 * schema in its data-source filter ({@code (switchboard.schemas=vault)}) therefore gets its
 * EntityManagerFactory, and the bundle's components start, only when its tables exist; a
 * connector bundle installed while the server runs brings its tables the same way.
 */
final class SchemaExtender extends BundleTracker<SchemaDeclaration> {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaExtender.class);
    private static final long MAX_RETRY_DELAY_MS = 30_000;

    private final DataSource dataSource;
    private final Store.Dialect dialect;
    private final Integer legacyVersion;
    private final ScheduledExecutorService migrator;
    private final Consumer<Map<String, String>> ready;
    private final Map<String, SchemaDeclaration> pending = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new TreeMap<>(); // guarded by this
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private long retryDelay = 500;

    /**
     * @param done the schemas already in place (core.store's own), by name, with their versions
     * @param ready told the versions of every schema in place after each one is added
     */
    SchemaExtender(BundleContext context, DataSource dataSource, Store.Dialect dialect, Integer legacyVersion,
                   ScheduledExecutorService migrator, Map<String, String> done, Consumer<Map<String, String>> ready) {
        super(context, Bundle.STARTING | Bundle.ACTIVE, null);
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.legacyVersion = legacyVersion;
        this.migrator = migrator;
        this.ready = ready;
        this.versions.putAll(done);
    }

    @Override
    public SchemaDeclaration addingBundle(Bundle bundle, BundleEvent event) {
        SchemaDeclaration schema;
        try {
            schema = SchemaDeclaration.of(bundle);
        } catch (IllegalArgumentException e) {
            LOG.error("bundle {} declares no usable schema: {}", bundle.getSymbolicName(), e.getMessage());
            return null;
        }
        if (schema == null) {
            return null;
        }
        pending.put(schema.name(), schema);
        migrator.execute(this::applyPending);
        return schema;
    }

    /**
     * Why the database is not ready yet: schemas that fail (with their problem) or wait (for their
     * turn or a schema they require), or {@code null} when every started bundle's schema is in
     * place. Cheap when all is well: {@code /health} asks on every call.
     */
    String notReady() {
        if (!failures.isEmpty()) {
            return "schemas not applied yet, retrying: " + new TreeMap<>(failures);
        }
        return pending.isEmpty() ? null : "applying schemas " + new TreeSet<>(pending.keySet());
    }

    /** Applies every pending schema whose required schemas are in place, until none is left that can go. */
    private void applyPending() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SchemaDeclaration schema : pending.values()) {
                Set<String> have;
                synchronized (this) {
                    have = Set.copyOf(versions.keySet());
                }
                if (!have.containsAll(schema.requires())) {
                    continue;
                }
                if (pending.remove(schema.name(), schema)) {
                    progress |= apply(schema);
                }
            }
        }
        pending.values().stream().filter(s -> !failures.containsKey(s.name())).forEach(s ->
                LOG.debug("schema {} waits for {}", s.name(), s.requires()));
    }

    private boolean apply(SchemaDeclaration schema) {
        try {
            String version = SchemaMigrations.migrate(dataSource, dialect, legacyVersion, schema);
            failures.remove(schema.name());
            Map<String, String> now;
            synchronized (this) {
                versions.put(schema.name(), version);
                now = Map.copyOf(versions);
                retryDelay = 500;
            }
            LOG.info("schema {} of {} at version {}", schema.name(), schema.owner(), version);
            ready.accept(now);
            return true;
        } catch (RuntimeException | LinkageError e) {
            String problem = Database.safeMessage(e);
            failures.put(schema.name(), problem);
            long delay;
            synchronized (this) {
                delay = retryDelay;
                retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
            }
            LOG.warn("schema {} could not be applied, retrying in {} ms: {}", schema.name(), delay, problem);
            pending.putIfAbsent(schema.name(), schema);
            if (!migrator.isShutdown()) {
                migrator.schedule(this::applyPending, delay, TimeUnit.MILLISECONDS);
            }
            return false;
        }
    }
}
