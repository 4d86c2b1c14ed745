package io.switchboard.core.store.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.persistence.EntityManager;
import javax.persistence.Query;

/**
 * Native SQL in a caller's running transaction, whether the caller holds an {@code EntityManager}
 * (of {@link Store#transaction}) or a JDBC {@code Connection} (of {@link SqlWork#transaction}):
 * for services that write their rows into the caller's transaction (the webhook outbox, a job
 * scheduled with the change that asks for it). Failures are {@link IllegalStateException}s.
 */
public interface SqlTx {

    /** Runs an INSERT, UPDATE or DELETE with positional parameters; returns the rows changed. */
    int update(String sql, Object... parameters);

    /** Runs a query with positional parameters; each row as its columns' values. */
    List<Object[]> rows(String sql, Object... parameters);

    static SqlTx of(EntityManager tx) {
        return new SqlTx() {
            @Override
            public int update(String sql, Object... parameters) {
                return bind(tx.createNativeQuery(sql), parameters).executeUpdate();
            }

            @Override
            public List<Object[]> rows(String sql, Object... parameters) {
                List<Object[]> out = new ArrayList<>();
                for (Object row : bind(tx.createNativeQuery(sql), parameters).getResultList()) {
                    out.add(row instanceof Object[] columns ? columns : new Object[] {row});
                }
                return out;
            }

            private Query bind(Query query, Object... parameters) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setParameter(i + 1, parameters[i]);
                }
                return query;
            }
        };
    }

    static SqlTx of(Connection tx) {
        return new SqlTx() {
            @Override
            public int update(String sql, Object... parameters) {
                try (PreparedStatement s = bind(tx.prepareStatement(sql), parameters)) {
                    return s.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
                }
            }

            @Override
            public List<Object[]> rows(String sql, Object... parameters) {
                try (PreparedStatement s = bind(tx.prepareStatement(sql), parameters); ResultSet r = s.executeQuery()) {
                    List<Object[]> out = new ArrayList<>();
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        Object[] row = new Object[columns];
                        for (int i = 0; i < columns; i++) {
                            row[i] = r.getObject(i + 1);
                        }
                        out.add(row);
                    }
                    return out;
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
                }
            }

            private PreparedStatement bind(PreparedStatement s, Object... parameters) throws SQLException {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                return s;
            }
        };
    }
}
