package io.switchboard.core.store.api;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain JDBC on the Switchboard DataSource, for bundles whose tables are not JPA entities (the
 * job scheduler's, the webhook outbox's): one connection per call, given back at once, and
 * SQL failures turned into {@link IllegalStateException} naming {@code what}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {

    T apply(Connection connection) throws SQLException;

    /** Runs {@code work} in autocommit (reads, and single statements). */
    static <T> T autocommit(DataSource dataSource, String what, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    static <T> T transaction(DataSource dataSource, String what, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #transaction}, but on PostgreSQL the commit does not wait for the disk
     * ({@code synchronous_commit} off for this transaction alone): for bookkeeping that a crash of
     * the database may lose without harm (a concurrency slot that frees itself, a log line that a
     * later, waiting commit of the same run makes durable, since PostgreSQL's log is written in order).
     */
    static <T> T lightTransaction(DataSource dataSource, String what, SqlWork<T> work) {
        return transaction(dataSource, what, c -> {
            if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit TO OFF");
                }
            }
            return work.apply(c);
        });
    }
}
