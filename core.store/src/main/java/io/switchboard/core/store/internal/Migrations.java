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
    private Migrations() {}

    /** Applies pending migrations and returns the schema version now in place. */
    static String migrate(DataSource dataSource) {
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
