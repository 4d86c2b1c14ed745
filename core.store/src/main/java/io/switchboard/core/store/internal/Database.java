package io.switchboard.core.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.core.api.HealthCheck;
import io.switchboard.core.store.api.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the connection pool: picks the JDBC driver whose {@link DataSourceFactory} accepts the
 * configured URL (so one setting switches from H2 to PostgreSQL), applies its own schema in the
 * background, and only then registers the pooled {@link DataSource} and the {@link Store}; the
 * other bundles' schemas follow as they arrive ({@link SchemaExtender}), each announced in the
 * DataSource's {@code switchboard.schemas} property. Nothing can therefore reach a table before
 * its schema is current.
 */
@Designate(ocd = DatabaseConfig.class)
@Component(configurationPid = "switchboard.store", immediate = true, service = HealthCheck.class)
public class Database implements HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final long MAX_RETRY_DELAY_MS = 30_000;

    private final BundleContext context;
    private final String url;
    private final Store.Dialect dialect;
    private final HikariDataSource pool;
    private final ScheduledExecutorService migrator;
    private SchemaExtender extender;
    private volatile Status status;
    private ServiceRegistration<?> dataSourceRegistration;
    private ServiceRegistration<Store> storeRegistration;
    private volatile boolean closed;

    @Activate
    public Database(
            BundleContext context,
            DatabaseConfig config,
            @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
                    List<DataSourceFactory> factories) {
        this.context = context;
        this.url = config.url().isBlank() ? defaultUrl(context) : config.url().trim();
        this.dialect = dialectOf(url);
        DataSourceFactory factory = factories.stream().filter(f -> accepts(f, url)).findFirst().orElse(null);
        if (factory == null) {
            // Re-activated by DS when another driver registers its factory.
            this.pool = null;
            this.migrator = null;
            this.status = Status.down("no JDBC driver accepts the configured URL scheme (" + scheme(url) + ")");
            LOG.warn("Database: {}", status.detail());
            return;
        }
        this.pool = createPool(factory, config);
        this.status = Status.down("migrating schema");
        this.migrator = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "switchboard-migrate"));
        migrator.execute(this::migrateThenPublish);
    }

    @Deactivate
    void deactivate() {
        closed = true;
        synchronized (this) {
            if (extender != null) {
                extender.close();
            }
            unregister(storeRegistration);
            unregister(dataSourceRegistration);
        }
        if (migrator != null) {
            migrator.shutdownNow();
            try {
                migrator.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String name() {
        return "database";
    }

    /** A good probe is reused for a second, so a polled or hammered /health costs no database trip. */
    private final io.switchboard.core.api.util.CachedStatus probe = new io.switchboard.core.api.util.CachedStatus(java.time.Duration.ofSeconds(1));

    @Override
    public Status check() {
        Status current = status;
        if (!current.up() || pool == null) {
            return current;
        }
        SchemaExtender schemas = extender;
        String notReady = schemas == null ? null : schemas.notReady();
        if (notReady != null) {
            return Status.down(dialectName() + ": " + notReady);
        }
        return probe.get(() -> {
            try (Connection c = pool.getConnection()) {
                return c.isValid(2) ? current : Status.down(dialectName() + ": connection not valid");
            } catch (SQLException e) {
                return Status.down(dialectName() + ": " + safeMessage(e));
            }
        });
    }

    private void migrateThenPublish() {
        long delay = 500;
        while (!closed) {
            try {
                SchemaDeclaration own = SchemaDeclaration.of(context.getBundle());
                Integer legacy = SchemaMigrations.legacyVersion(pool); // the same for every bundle's schema: read once
                String version = SchemaMigrations.migrate(pool, dialect, legacy, own);
                ownerOnlyFiles();
                publish(Map.of(own.name(), version), legacy);
                return;
            } catch (RuntimeException | LinkageError | java.util.ServiceConfigurationError e) {
                if (closed) {
                    return;
                }
                status = Status.down(dialectName() + ": migration failed, retrying: " + safeMessage(e));
                LOG.warn("Database migration failed, retrying in {} ms: {}", delay, safeMessage(e));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
            }
        }
    }

    private synchronized void publish(Map<String, String> versions, Integer legacyVersion) {
        if (closed) {
            return;
        }
        dataSourceRegistration = context.registerService(DataSource.class, pool, properties(versions));
        storeRegistration = context.registerService(Store.class, new JpaStore(dialect), null);
        status = Status.up(dialectName() + ", schema versions " + versions);
        LOG.info("Database ready: {}", status.detail());
        extender = new SchemaExtender(context, pool, dialect, legacyVersion, migrator, versions, this::schemasReady);
        extender.open();
    }

    /** Another bundle's schema is in place: its persistence unit may now find the DataSource. */
    private synchronized void schemasReady(Map<String, String> versions) {
        if (closed || dataSourceRegistration == null) {
            return;
        }
        dataSourceRegistration.setProperties(properties(versions));
        status = Status.up(dialectName() + ", schema versions " + new java.util.TreeMap<>(versions));
    }

    private Dictionary<String, Object> properties(Map<String, String> versions) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.jndi.service.name", Store.DATA_SOURCE_NAME);
        props.put("dataSourceName", Store.DATA_SOURCE_NAME);
        props.put("switchboard.dialect", dialect.name());
        props.put(Store.SCHEMAS_PROPERTY, versions.keySet().toArray(new String[0]));
        return props;
    }

    private HikariDataSource createPool(DataSourceFactory factory, DatabaseConfig config) {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config.password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        try {
            DataSource raw = factory.createDataSource(props);
            HikariConfig hc = new HikariConfig();
            hc.setDataSource(raw);
            hc.setPoolName("switchboard");
            hc.setMaximumPoolSize(Math.max(1, config.pool_size()));
            hc.setConnectionTimeout(Math.max(250, config.connection_timeout_ms()));
            // Do not connect while activating: the migration thread does the first connect.
            hc.setInitializationFailTimeout(-1);
            return new HikariDataSource(hc);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure the database: " + safeMessage(e), e);
        }
    }

    /**
     * The embedded database's files (created with the process's umask, often world-readable) are
     * made rw------- once they exist, like the master key beside them.
     */
    private void ownerOnlyFiles() {
        if (dialect != Store.Dialect.H2 || !url.startsWith("jdbc:h2:file:")) {
            return;
        }
        Path base = Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0]).toAbsolutePath();
        Path dir = base.getParent();
        String name = base.getFileName().toString();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name + ".")).toList()) {
                java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("cannot restrict the permissions of the database files in {}: {}", dir, e.toString());
        }
    }

    static String defaultUrl(BundleContext context) {
        String home = context.getProperty("switchboard.home");
        Path base = Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
        return "jdbc:h2:file:" + base.resolve("data").resolve("db").resolve("switchboard");
    }

    static Store.Dialect dialectOf(String url) {
        return url.startsWith("jdbc:postgresql:") ? Store.Dialect.POSTGRESQL : Store.Dialect.H2;
    }

    private static boolean accepts(DataSourceFactory factory, String url) {
        try {
            return factory.createDriver(null).acceptsURL(url);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private String dialectName() {
        return dialect.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String scheme(String url) {
        int second = url.indexOf(':', 5);
        return second > 0 ? url.substring(0, second + 1) : "unknown";
    }

    /** The first line of a driver message: enough to diagnose, and drivers do not echo passwords. */
    static String safeMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int nl = message.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (nl > 0 ? message.substring(0, nl) : message);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }
}
