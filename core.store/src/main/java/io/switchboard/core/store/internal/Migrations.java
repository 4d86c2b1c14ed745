package io.switchboard.core.store.internal;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema, owned by versioned SQL migrations in {@code db/migration} of this bundle and applied
 * by Flyway (embedded, see bnd.bnd). The same scripts run on H2 and PostgreSQL, so they use only
 * SQL both understand. Flyway's lock (an advisory lock on PostgreSQL) makes two instances that
 * start together on one empty database apply each migration once.
 */
final class Migrations {
    /**
     * H2 is embedded: one process owns its file, and Flyway's table lock on H2 does not hold off
     * a concurrent migration in the same JVM, so H2 migrations are serialised here. PostgreSQL
     * relies on Flyway's advisory lock, across processes.
     */
    private static final Object H2_LOCK = new Object();

    private Migrations() {}

    /** Applies pending migrations and returns the schema version now in place. */
    static String migrate(DataSource dataSource) {
        if (isH2(dataSource)) {
            synchronized (H2_LOCK) {
                return run(dataSource);
            }
        }
        return run(dataSource);
    }

    private static boolean isH2(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    private static String run(DataSource dataSource) {
        ClassLoader loader = Migrations.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Flyway flyway = Flyway.configure(loader)
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .table("schema_history")
                    .loggers("slf4j")
                    .failOnMissingLocations(true)
                    .load();
            MigrateResult result = flyway.migrate();
            return result.targetSchemaVersion != null
                    ? result.targetSchemaVersion
                    : flyway.info().current().getVersion().getVersion();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
