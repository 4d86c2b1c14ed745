package io.switchboard.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.store.api.Store;
import io.switchboard.testkit.db.TestDatabases;
import io.switchboard.testkit.db.TestDatabases.Db;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Schemas apply on H2 and PostgreSQL, give the same tables, run once under concurrency, start
 * from an empty baseline in a database that already holds other bundles' tables, and take over
 * from release 0.1's single history without applying anything twice.
 */
class SchemaMigrationsTest {
    private static final SchemaDeclaration STORE = schema("store", "/db/schema/store", Map.of(1, "1"));
    private static final SchemaDeclaration NOTES = schema("notes", "/schemas/notes", Map.of(1, "1"));
    private static final SchemaDeclaration LEGACY = schema("legacy", "/schemas/legacy", Map.of());

    /** A declaration whose scripts are a folder of the test class path. */
    private static SchemaDeclaration schema(String name, String folder, Map<Integer, String> legacy) {
        ResourceProvider scripts = new ResourceProvider() {
            @Override
            public LoadableResource getResource(String file) {
                URL url = SchemaMigrationsTest.class.getResource(folder + "/" + file);
                return url == null ? null : new SchemaMigrations.Script(folder + "/" + file, url);
            }

            @Override
            public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
                try (Stream<Path> files = Files.list(Path.of(SchemaMigrationsTest.class.getResource(folder).toURI()))) {
                    return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(prefix) && f.endsWith(".sql"))
                            .map(this::getResource).toList();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return new SchemaDeclaration(name, "test", scripts, Set.of(), legacy);
    }

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
        String version = migrate(ds, STORE);
        assertThat(version).isEqualTo("1");
        assertThat(migrate(ds, STORE)).isEqualTo(version);
        assertThat(columns(ds, "audit_event"))
                .containsExactly("action", "actor", "app_id", "detail", "id", "occurred_at", "subject");
        assertThat(appliedMigrations(ds, "store")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoInstancesStartingTogetherApplyEachMigrationOnce(String kind) throws Exception {
        DataSource ds = dataSource(kind);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit((Callable<String>) () -> migrate(ds, STORE)));
            }
            for (Future<String> run : runs) {
                assertThat(run.get()).isNotBlank();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(appliedMigrations(ds, "store")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBundlesFirstScriptsApplyInADatabaseThatHoldsOtherBundlesTables(String kind) throws Exception {
        DataSource ds = dataSource(kind);
        migrate(ds, STORE);
        assertThat(migrate(ds, NOTES)).isEqualTo("2");
        assertThat(columns(ds, "note")).containsExactly("audit_id", "body", "id");
        assertThat(appliedMigrations(ds, "notes")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDatabaseOfRelease01TakesItsSchemasOverWithoutApplyingAnythingTwice(String kind) throws Exception {
        DataSource ds = dataSource(kind);
        // release 0.1: one history table ("schema_history") for every bundle's tables
        Flyway.configure(SchemaMigrationsTest.class.getClassLoader()).dataSource(ds).table("schema_history")
                .resourceProvider(LEGACY.scripts()).load().migrate();
        try (Connection c = ds.getConnection()) {
            c.createStatement().executeUpdate("INSERT INTO note (id) VALUES ('kept')");
        }
        assertThat(SchemaMigrations.legacyVersion(ds)).isEqualTo(1);
        assertThat(migrate(ds, STORE)).isEqualTo("1");
        assertThat(migrate(ds, NOTES)).as("V1 is release 0.1's, V2 is new").isEqualTo("2");
        assertThat(appliedMigrations(ds, "store")).isZero();
        assertThat(appliedMigrations(ds, "notes")).isEqualTo(1);
        assertThat(columns(ds, "note")).containsExactly("audit_id", "body", "id");
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT id FROM note")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    @org.junit.jupiter.api.Test
    void aFreshDatabaseHasNoLegacyBaselineAndTheMappingTakesTheLastVersionReached() {
        SchemaDeclaration config = new SchemaDeclaration("config", "test", null, Set.of("identity"), Map.of(3, "1", 4, "2"));
        assertThat(config.legacyBaseline(null)).isNull();
        assertThat(config.legacyBaseline(2)).as("release 0.1 had not reached config's tables").isNull();
        assertThat(config.legacyBaseline(3)).isEqualTo("1");
        assertThat(config.legacyBaseline(5)).isEqualTo("2");
    }

    /** Scripts applied in a schema's own history (its baseline row not counted). */
    private static int appliedMigrations(DataSource ds, String schema) throws SQLException {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM \"schema_history_" + schema + "\" WHERE \"success\" = TRUE AND \"type\" = 'SQL'")) {
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

    /** As the server runs it: the dialect it knows, and release 0.1's history as it is now. */
    private static String migrate(DataSource ds, SchemaDeclaration schema) {
        Store.Dialect dialect = ds instanceof PGSimpleDataSource ? Store.Dialect.POSTGRESQL : Store.Dialect.H2;
        return SchemaMigrations.migrate(ds, dialect, SchemaMigrations.legacyVersion(ds), schema);
    }
}
