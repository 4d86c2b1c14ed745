package io.switchboard.core.jobs.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.switchboard.core.store.api.SqlWork;
import javax.sql.DataSource;

/**
 * This bundle's own rows beside db-scheduler's: dead runs ({@code job_dead}) and the pauses of
 * accounts ({@code job_hold}), and the counts of db-scheduler's table for the operator. Each call
 * is one short statement on a connection of its own (never held while a run works).
 */
final class JobRows {
    /** A dead run as the operator sees it. */
    record Dead(String id, String type, String app, String account, int attempts, String lastError, Instant diedAt, String payload) {}

    private final DataSource dataSource;

    JobRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps a run that used up its attempts (replacing an earlier death of the same id). */
    void dead(Payload run, String error, Instant at) {
        update(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM job_dead WHERE id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO job_dead (id, job_type, app_id, account_id, payload, attempts, "
                         + "last_error, died_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, run.id());
                delete.executeUpdate();
                insert.setString(1, run.id());
                insert.setString(2, run.type());
                insert.setString(3, run.app());
                insert.setString(4, run.account());
                insert.setBytes(5, run.write().getBytes(StandardCharsets.UTF_8));
                insert.setInt(6, run.attempt());
                insert.setString(7, error == null ? null : error.substring(0, Math.min(error.length(), 1000)));
                insert.setTimestamp(8, Timestamp.from(at));
                insert.executeUpdate();
            }
            return null;
        });
    }

    List<Dead> deadRuns(String type, String account, int limit) {
        return deadRuns(null, type, account, limit);
    }

    private List<Dead> deadRuns(String id, String type, String account, int limit) {
        return query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, job_type, app_id, account_id, attempts, last_error, died_at, payload "
                    + "FROM job_dead WHERE (? IS NULL OR id = ?) AND (? IS NULL OR job_type = ?) AND (? IS NULL OR account_id = ?) "
                    + "ORDER BY died_at DESC, id")) {
                s.setString(1, id);
                s.setString(2, id);
                s.setString(3, type);
                s.setString(4, type);
                s.setString(5, account);
                s.setString(6, account);
                s.setMaxRows(limit);
                List<Dead> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Dead(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5), r.getString(6),
                                r.getTimestamp(7).toInstant(), new String(r.getBytes(8), StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
        });
    }

    Optional<Dead> deadRun(String id) {
        return deadRuns(id, null, null, 1).stream().findFirst();
    }

    boolean forgetDead(String id) {
        return update(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM job_dead WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    /** A pause of an account's runs: until a time, or ({@code until} null) until the account is released. */
    record Hold(Instant until, String reason) {
        boolean outlasts(Instant other) {
            return until == null || other != null && !until.isBefore(other);
        }
    }

    /** Pauses an account's runs until {@code until} ({@code null}: until released), unless a longer pause holds. */
    void hold(String account, Instant until, String reason) {
        update(c -> {
            Optional<Hold> current = hold(c, account);
            if (current.isPresent() && current.get().outlasts(until)) {
                return null;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM job_hold WHERE account_id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO job_hold (account_id, held_until, reason) VALUES (?, ?, ?)")) {
                delete.setString(1, account);
                delete.executeUpdate();
                insert.setString(1, account);
                insert.setTimestamp(2, until == null ? null : Timestamp.from(until));
                insert.setString(3, reason);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The pause an account's runs are in at {@code now}, if any. */
    Optional<Hold> hold(String account, Instant now) {
        return query(c -> hold(c, account)).filter(h -> h.until() == null || h.until().isAfter(now));
    }

    private static Optional<Hold> hold(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT held_until, reason FROM job_hold WHERE account_id = ?")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Timestamp until = r.getTimestamp(1);
                return Optional.of(new Hold(until == null ? null : until.toInstant(), r.getString(2)));
            }
        }
    }

    boolean release(String account) {
        return update(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM job_hold WHERE account_id = ?")) {
                s.setString(1, account);
                return s.executeUpdate() > 0;
            }
        });
    }

    /**
     * Takes one of the {@code limit} slots of {@code key} for the run {@code holder}, if one is free.
     * When all are taken, slots held by runs no longer under way (their instance died mid-run) are
     * freed and the slots tried once more. The commit does not wait for the disk: a slot lost in a
     * database crash is simply free again.
     */
    boolean takeSlot(String key, int limit, String holder, Instant now) {
        try {
            return SqlWork.lightTransaction(dataSource, "job slots", c -> {
                if (tryTake(c, key, limit, holder, now)) {
                    return true;
                }
                // every slot is taken: free those whose holder is no longer under way (its instance died), then try once more
                try (PreparedStatement stale = c.prepareStatement("DELETE FROM job_slot WHERE slot_key = ? AND (holder = ? OR NOT EXISTS "
                        + "(SELECT 1 FROM job_execution e WHERE e.task_name = '" + JobEngine.TASK + "' AND e.task_instance = job_slot.holder "
                        + "AND e.picked = TRUE))")) {
                    stale.setString(1, key);
                    stale.setString(2, holder);
                    if (stale.executeUpdate() == 0) {
                        return false;
                    }
                }
                return tryTake(c, key, limit, holder, now);
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return false; // another instance took the same slot at the same moment: like a full set, try again soon
            }
            throw e;
        }
    }

    /**
     * Takes a free slot of {@code key}: tries the slots from one chosen by the holder's hash (so
     * that runs of one key rarely try the same slot first), one insert each, until one is free.
     */
    private static boolean tryTake(Connection c, String key, int limit, String holder, Instant now) throws SQLException {
        int first = Math.floorMod(holder.hashCode(), limit);
        // ON CONFLICT is not H2's: a slot taken is seen as no row inserted (taken at the same moment: a unique violation)
        try (PreparedStatement take = c.prepareStatement("INSERT INTO job_slot (slot_key, slot_no, holder, taken_at) "
                + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM job_slot WHERE slot_key = ? AND slot_no = ?)")) {
            for (int i = 0; i < limit; i++) {
                int slot = (first + i) % limit;
                take.setString(1, key);
                take.setInt(2, slot);
                take.setString(3, holder);
                take.setTimestamp(4, Timestamp.from(now));
                take.setString(5, key);
                take.setInt(6, slot);
                if (take.executeUpdate() == 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Frees the holder's slot (not waiting for the disk: a slot lost in a database crash frees itself, see above). */
    void releaseSlot(String key, String holder) {
        SqlWork.lightTransaction(dataSource, "job slots", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM job_slot WHERE slot_key = ? AND holder = ?")) {
                s.setString(1, key);
                s.setString(2, holder);
                return s.executeUpdate();
            }
        });
    }

    /**
     * Gives back the runs an earlier scheduler of this same instance had picked (the bundle was
     * restarted or reconfigured while runs were being picked): none of them can be under way now,
     * and waiting for the dead-execution check would hold them back for no reason.
     */
    int releasePicked(String instance) {
        return update(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE job_execution SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL, "
                    + "version = version + 1 WHERE picked = TRUE AND picked_by = ?")) {
                s.setString(1, instance);
                return s.executeUpdate();
            }
        });
    }

    /** Scheduled runs (db-scheduler's rows), those under way, and dead runs, each by type. */
    Map<String, Object> counts() {
        return query(c -> {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Map<String, Long>> byType = new java.util.TreeMap<>();
            long scheduled = 0;
            long running = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT task_instance, picked FROM job_execution");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String type = r.getString(1).substring(0, Math.max(0, r.getString(1).indexOf('/')));
                    boolean picked = r.getBoolean(2);
                    scheduled++;
                    running += picked ? 1 : 0;
                    byType.computeIfAbsent(type, t -> new LinkedHashMap<>()).merge(picked ? "running" : "scheduled", 1L, Long::sum);
                }
            }
            long dead = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT job_type, COUNT(*) FROM job_dead GROUP BY job_type");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    dead += r.getLong(2);
                    byType.computeIfAbsent(r.getString(1), t -> new LinkedHashMap<>()).put("dead", r.getLong(2));
                }
            }
            out.put("scheduled", scheduled - running);
            out.put("running", running);
            out.put("dead", dead);
            out.put("byType", byType);
            return out;
        });
    }

    /** How many runs are due now and not started, under way, scheduled for later, and dead. */
    record Counts(long due, long running, long scheduled, long dead) {}

    Counts counts(Instant now) {
        return query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT "
                    + "(SELECT COUNT(*) FROM job_execution WHERE picked = FALSE AND execution_time <= ?), "
                    + "(SELECT COUNT(*) FROM job_execution WHERE picked = TRUE), "
                    + "(SELECT COUNT(*) FROM job_execution WHERE picked = FALSE AND execution_time > ?), "
                    + "(SELECT COUNT(*) FROM job_dead)")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Counts(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                }
            }
        });
    }

    private <T> T query(SqlWork<T> work) {
        return SqlWork.autocommit(dataSource, "job tables", work);
    }

    private <T> T update(SqlWork<T> work) {
        return SqlWork.transaction(dataSource, "job tables", work);
    }
}
