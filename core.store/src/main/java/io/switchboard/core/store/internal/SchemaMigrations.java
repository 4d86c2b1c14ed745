package io.switchboard.core.store.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import io.switchboard.core.store.api.Store;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.osgi.framework.Bundle;

/**
 * Applies one bundle's schema: the versioned SQL scripts in its {@code db/schema/<name>/} folder
 * (see {@link SchemaDeclaration}), with Flyway (embedded, see bnd.bnd), in a history table of
 * its own ({@code schema_history_<name>}). The same scripts run on H2 and PostgreSQL, so they use
 * only SQL both understand. Flyway's lock (an advisory lock on PostgreSQL) makes two instances
 * that start together on one database apply each script once.
 *
 * <p>All bundles share one database schema, so a bundle's first run finds other bundles' tables:
 * its history then starts from a baseline at version 0 (nothing of its own applied yet), or, on
 * a database written by release 0.1 (one {@code schema_history} for every bundle's scripts), at
 * the version its declaration maps the legacy history to.
 */
final class SchemaMigrations {
    /**
     * Migrations are serialised: H2 is embedded (one process owns its file) and Flyway's table
     * lock on H2 does not hold off a concurrent migration in the same JVM, so H2 migrations take
     * this lock; on PostgreSQL they take a session advisory lock ({@link #ADVISORY_LOCK}) across
     * processes. Flyway's own lock is per history table and does not cover a schema's first run,
     * when its history table is created or baselined (two instances would both try).
     */
    private static final Object H2_LOCK = new Object();
    private static final long ADVISORY_LOCK = 0x5377_6974_6368_626FL; // the bytes of "Switchbo"
    /** The single history table of release 0.1. */
    static final String LEGACY_HISTORY = "schema_history";

    private SchemaMigrations() {}

    /**
     * Applies the schema's pending scripts and returns its version now in place.
     *
     * @param legacyVersion what release 0.1's single history holds ({@link #legacyVersion}, read once per start)
     */
    static String migrate(DataSource dataSource, Store.Dialect dialect, Integer legacyVersion, SchemaDeclaration schema) {
        if (dialect == Store.Dialect.H2) {
            synchronized (H2_LOCK) {
                return run(dataSource, schema, legacyVersion);
            }
        }
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            lock.createStatement().execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")");
            try {
                return run(dataSource, schema, legacyVersion);
            } finally {
                lock.createStatement().execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    private static String run(DataSource dataSource, SchemaDeclaration schema, Integer legacyVersion) {
        ClassLoader loader = SchemaMigrations.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            String baseline = schema.legacyBaseline(legacyVersion);
            Flyway flyway = Flyway.configure(loader)
                    .dataSource(dataSource)
                    .resourceProvider(schema.scripts())
                    .table("schema_history_" + schema.name())
                    .baselineOnMigrate(true)
                    .baselineVersion(baseline == null ? "0" : baseline)
                    .baselineDescription(baseline == null ? "<< empty >>" : "<< applied by release 0.1 >>")
                    .loggers("slf4j")
                    .load();
            flyway.migrate();
            var current = flyway.info().current();
            return current == null ? "0" : current.getVersion().getVersion();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The highest version release 0.1's single history table records as applied, or {@code null} when there is none. */
    static Integer legacyVersion(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            boolean exists = false;
            for (String name : new String[] {LEGACY_HISTORY, LEGACY_HISTORY.toUpperCase(Locale.ROOT)}) {
                try (ResultSet tables = c.getMetaData().getTables(null, null, name, null)) {
                    exists |= tables.next();
                }
            }
            if (!exists) {
                return null;
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"" + LEGACY_HISTORY + "\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
                return rs.next() && rs.getObject(1) != null ? rs.getInt(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the release 0.1 schema history: " + e.getMessage(), e);
        }
    }

    /** The scripts in a folder of a bundle, read from the bundle itself (no class-path scanning across bundles). */
    static ResourceProvider bundleScripts(Bundle bundle, String folder) {
        return new BundleScripts(bundle, folder);
    }

    private record BundleScripts(Bundle bundle, String folder) implements ResourceProvider {

        @Override
        public LoadableResource getResource(String name) {
            URL url = bundle.getEntry(folder + "/" + name);
            return url == null ? null : new Script(folder + "/" + name, url);
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            List<LoadableResource> out = new ArrayList<>();
            Enumeration<URL> entries = bundle.findEntries(folder, prefix + "*", false);
            while (entries != null && entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String file = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                for (String suffix : suffixes) {
                    if (file.endsWith(suffix)) {
                        out.add(new Script(folder + "/" + file, url));
                        break;
                    }
                }
            }
            return out;
        }
    }

    /** One script, read as UTF-8. */
    static final class Script extends LoadableResource {
        private final String path;
        private final URL url;

        Script(String path, URL url) {
            this.path = path;
            this.url = url;
        }

        @Override
        public Reader read() {
            try {
                return new InputStreamReader(url.openStream(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }

        @Override
        public String getAbsolutePath() {
            return path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return null;
        }

        @Override
        public String getFilename() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public String getRelativePath() {
            return path;
        }
    }
}
