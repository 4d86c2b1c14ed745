package io.switchboard.itest.support;

import io.switchboard.testkit.db.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import org.flywaydb.core.Flyway;

/**
 * A database as release 0.1 wrote it: its five scripts (kept verbatim in
 * {@code src/test/resources/release-0.1}) applied by Flyway into its single history table
 * {@code schema_history}, and one row in each kind of table. Runs outside the container, before
 * the server starts on the database.
 */
public final class Release01Database {
    public static final String APP = "legacy-app";
    public static final String USER = "00000000-0000-0000-0000-0000000000a1";
    public static final String ACCOUNT = "00000000-0000-0000-0000-0000000000b1";

    private Release01Database() {}

    public static TestDatabases.Db written(TestDatabases.Db db) {
        Flyway.configure(Release01Database.class.getClassLoader())
                .dataSource(db.url(), db.user(), db.password())
                .locations("classpath:release-0.1")
                .table("schema_history")
                .load()
                .migrate();
        Timestamp now = Timestamp.from(Instant.parse("2026-11-01T10:00:00Z"));
        try (Connection c = db.connect()) {
            insert(c, "INSERT INTO app (id, name, secret_hash, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    APP, "Written by release 0.1", "not-a-hash", "{}", now, now);
            insert(c, "INSERT INTO app_user (id, app_id, issuer_key, subject, email, display_name, created_at, last_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", USER, APP, "https://issuer.example", "sub-1", "ada@example.com", "Ada", now, now);
            insert(c, "INSERT INTO config_document (id, app_id, scope, owner_id, doc_key, body, locked, version, updated_at, updated_by) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "00000000-0000-0000-0000-0000000000c1", APP, "app", APP, "greeting",
                    "{\"text\":\"hello from 0.1\"}", "[]", 3L, now, "operator");
            insert(c, "INSERT INTO app_connector (id, app_id, connector_id, client_id, client_secret, scopes, options, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "00000000-0000-0000-0000-0000000000d1", APP, "hubspot", "client-0.1",
                    "sealed-by-0.1", "crm.objects.contacts.read", "{}", now, now);
            insert(c, "INSERT INTO account (id, app_id, user_id, connector_id, external_id, display_name, base_url, token_url, scopes, "
                    + "attributes, status, access_token, token_version, failures, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ACCOUNT, APP, USER, "hubspot", "portal-42", "Portal 42",
                    "https://api.hubapi.com", "https://api.hubapi.com/oauth/v1/token", "", "{}", "ACTIVE", "sealed-by-0.1", 1L, 0, now, now);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot write the release 0.1 database", e);
        }
        return db;
    }

    private static void insert(Connection c, String sql, Object... values) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }
}
