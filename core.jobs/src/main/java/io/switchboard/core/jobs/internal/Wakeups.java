package io.switchboard.core.jobs.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due now start on every instance without waiting for its next poll: on PostgreSQL, the
 * instance that schedules one sends {@code NOTIFY switchboard_jobs} after its insert committed,
 * and every instance listens on a connection of its own and looks for due runs when told.
 */
final class Wakeups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);
    static final String CHANNEL = "switchboard_jobs";

    private final DataSource dataSource;
    private final Runnable onWake;
    private final Thread listener;
    private volatile boolean running = true;

    Wakeups(DataSource dataSource, Runnable onWake) {
        this.dataSource = dataSource;
        this.onWake = onWake;
        this.listener = new Thread(this::listen, "switchboard-jobs-listen");
        listener.setDaemon(true);
        listener.start();
    }

    /** Tells every instance (this one too) that a run is due now. */
    void wakeAll() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("NOTIFY " + CHANNEL);
        } catch (SQLException e) {
            LOG.debug("NOTIFY failed (the next poll finds the run): {}", e.getMessage());
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        onWake.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("Listening for job wake-ups failed ({}); polling until it is back", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
    }
}
