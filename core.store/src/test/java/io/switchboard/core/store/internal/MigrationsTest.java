package io.switchboard.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.db.TestDatabases;
import io.switchboard.testkit.db.TestDatabases.Db;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The migrations apply on H2 and PostgreSQL, give the same schema, and run once under concurrency. */
class MigrationsTest {

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private static DataSource dataSource(String kind) {
        if (kind.equals("h2")) {
            Db db = TestDatabases.freshH2();
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(db.url());
            ds.setUser(db.user());
            return ds;
        }
        Db db = TestDatabases.freshPostgres();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.url());
        if (db.user() != null) {
            ds.setUser(db.user());
            ds.setPassword(db.password());
        }
        return ds;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesAnEmptyDatabaseAndIsIdempotent(String kind) throws Exception {
        DataSource ds = dataSource(kind);
        String version = Migrations.migrate(ds);
        assertThat(version).isNotBlank();
        assertThat(Migrations.migrate(ds)).isEqualTo(version);
        assertThat(columns(ds, "audit_event"))
                .containsExactly("action", "actor", "app_id", "detail", "id", "occurred_at", "subject");
        assertThat(columns(ds, "user_session")).contains("id", "app_id", "user_id", "revoked_at");
        assertThat(appliedMigrations(ds)).isEqualTo(countScripts());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoInstancesStartingTogetherApplyEachMigrationOnce(String kind) throws Exception {
        DataSource ds = dataSource(kind);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit((Callable<String>) () -> Migrations.migrate(ds)));
            }
            for (Future<String> run : runs) {
                assertThat(run.get()).isNotBlank();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(appliedMigrations(ds)).isEqualTo(countScripts());
    }

    private static int countScripts() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                MigrationsTest.class.getResource("/db/migration").toURI()))) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
        }
    }

    private static int appliedMigrations(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM \"schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static TreeSet<String> columns(DataSource ds, String table) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            for (String candidate : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
                try (ResultSet rs = meta.getColumns(null, null, candidate, null)) {
                    while (rs.next()) {
                        names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return names;
    }
}
