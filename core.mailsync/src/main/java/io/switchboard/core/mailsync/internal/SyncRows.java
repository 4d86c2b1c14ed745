package io.switchboard.core.mailsync.internal;

import io.switchboard.core.store.api.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The offline index's rows (schema {@code mailsync}): synced accounts, their change streams, the
 * messages' metadata and the events of the calendars' windows ({@link Kind}). Each page of a stream is applied in one transaction with the stream's
 * new cursor, so a run that dies resumes where the last committed page left it. Every change
 * takes the account's next {@code seq}, one per transaction: readers page by {@code (seq, id)}.
 */
final class SyncRows {
    static final int IN_LIST = 500;

    /** What an index holds: its table and the name of its id column. */
    enum Kind {
        MESSAGES("mailbox_message", "message_id"),
        EVENTS("calendar_event", "event_id");

        final String table;
        final String id;

        Kind(String table, String id) {
            this.table = table;
            this.id = id;
        }

        /** {@code sql} with {@code $T} and {@code $ID} replaced by this kind's names. */
        String sql(String sql) {
            return sql.replace("$T", table).replace("$ID", id);
        }
    }

    /** A synced account. */
    record Account(String accountId, String appId, int intervalSeconds, boolean mail, boolean calendar, long seq, long purgedSeq,
                   boolean ready, Instant lastRunAt, String lastError, Instant createdAt) {}

    /** Where a stream stands: {@code cursor} {@code null} with {@code fullPass}: a full pass not started yet. */
    record Stream(String stream, String cursor, boolean fullPass, int gen) {}

    /** A record as the page brings it: its id, the record to store and its hash. */
    record Incoming(String id, String json, String hash) {}

    /** What one transaction changed, by kind, for the change events. */
    record Applied(List<String> created, List<String> updated, List<String> deleted) {
        boolean isEmpty() {
            return created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
        }
    }

    /** One row as readers see it: a record, or a deletion. */
    record Change(String id, long seq, boolean deleted, String json) {}

    private record Existing(String hash, boolean deleted, String stream) {}

    private final DataSource dataSource;

    SyncRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts syncing an account, or changes what it syncs and how often (a kind switched on anew
     * makes the account not ready until its first full pass); returns whether it was new.
     */
    boolean enable(Connection c, String app, String account, int intervalSeconds, boolean mail, boolean calendar) throws SQLException {
        if (update(c, "UPDATE mailbox_sync SET interval_seconds = ?, ready = (ready AND (sync_mail OR NOT ?) AND (sync_calendar OR NOT ?)), "
                + "sync_mail = ?, sync_calendar = ? WHERE account_id = ?", intervalSeconds, mail, calendar, mail, calendar, account) == 1) {
            return false;
        }
        update(c, "INSERT INTO mailbox_sync (account_id, app_id, interval_seconds, sync_mail, sync_calendar, seq, purged_seq, ready, "
                + "created_at) VALUES (?, ?, ?, ?, ?, 0, 0, FALSE, ?)", account, app, intervalSeconds, mail, calendar, Timestamp.from(Instant.now()));
        return true;
    }

    Optional<Account> account(String account) {
        return SqlWork.autocommit(dataSource, "reading a synced account", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT account_id, app_id, interval_seconds, sync_mail, sync_calendar, seq, "
                    + "purged_seq, ready, last_run_at, last_error, created_at FROM mailbox_sync WHERE account_id = ?")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Account(r.getString(1), r.getString(2), r.getInt(3), r.getBoolean(4), r.getBoolean(5),
                            r.getLong(6), r.getLong(7), r.getBoolean(8), instant(r.getTimestamp(9)), r.getString(10), instant(r.getTimestamp(11))))
                            : Optional.<Account>empty();
                }
            }
        });
    }

    /** Forgets an account's sync and index. */
    boolean disable(String account) {
        return SqlWork.transaction(dataSource, "dropping a mailbox index", c -> {
            update(c, "DELETE FROM mailbox_message WHERE account_id = ?", account);
            update(c, "DELETE FROM calendar_event WHERE account_id = ?", account);
            update(c, "DELETE FROM mailbox_sync_stream WHERE account_id = ?", account);
            return update(c, "DELETE FROM mailbox_sync WHERE account_id = ?", account) == 1;
        });
    }

    /** The records in the index (deletions left out). */
    long count(Kind kind, String account) {
        return SqlWork.autocommit(dataSource, "counting indexed records", c -> {
            try (PreparedStatement s = c.prepareStatement(kind.sql("SELECT COUNT(*) FROM $T WHERE account_id = ? AND deleted = FALSE"))) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    Map<String, Stream> streams(String account) {
        return SqlWork.autocommit(dataSource, "reading sync streams", c -> {
            Map<String, Stream> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT stream, next_cursor, full_pass, gen FROM mailbox_sync_stream WHERE account_id = ?")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), new Stream(r.getString(1), r.getString(2), r.getBoolean(3), r.getInt(4)));
                    }
                }
            }
            return out;
        });
    }

    /** Starts a full pass of a stream (its first, or after the provider forgot its cursor): the next generation. */
    Stream startFullPass(String account, String stream) {
        return SqlWork.transaction(dataSource, "starting a full pass", c -> {
            int gen = 1;
            try (PreparedStatement s = c.prepareStatement("SELECT gen FROM mailbox_sync_stream WHERE account_id = ? AND stream = ?")) {
                s.setString(1, account);
                s.setString(2, stream);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        gen = r.getInt(1) + 1;
                    }
                }
            }
            Timestamp now = Timestamp.from(Instant.now());
            if (gen == 1) {
                update(c, "INSERT INTO mailbox_sync_stream (account_id, stream, next_cursor, full_pass, gen, updated_at) VALUES (?, ?, NULL, TRUE, 1, ?)",
                        account, stream, now);
            } else {
                update(c, "UPDATE mailbox_sync_stream SET next_cursor = NULL, full_pass = TRUE, gen = ?, updated_at = ? WHERE account_id = ? AND stream = ?",
                        gen, now, account, stream);
            }
            return new Stream(stream, null, true, gen);
        });
    }

    /** A stream that is gone (a folder or calendar deleted, a kind switched off): its records are deleted with it. */
    Applied dropStream(Kind kind, String account, String stream, EventSink events) {
        return SqlWork.transaction(dataSource, "dropping a sync stream", c -> {
            long seq = nextSeq(c, account);
            List<String> gone = ids(c, kind.sql("SELECT $ID FROM $T WHERE account_id = ? AND stream = ? AND deleted = FALSE"), account, stream);
            update(c, kind.sql("UPDATE $T SET deleted = TRUE, seq = ?, changed_at = ? WHERE account_id = ? AND stream = ? AND deleted = FALSE"),
                    seq, Timestamp.from(Instant.now()), account, stream);
            update(c, "DELETE FROM mailbox_sync_stream WHERE account_id = ? AND stream = ?", account, stream);
            Applied applied = new Applied(List.of(), List.of(), gone);
            events.publish(c, applied);
            return applied;
        });
    }

    /**
     * Applies one page of a stream with its new cursor, in one transaction: records new or changed
     * (a replay with the same hash changes nothing but the pass's generation), removals of messages
     * the stream still holds, and, at the end of a full pass, the deletion of the stream's messages
     * the pass did not see.
     */
    Applied apply(Kind kind, String account, Stream stream, List<Incoming> changed, List<String> removed, String cursor, boolean complete,
                  EventSink events) {
        return SqlWork.transaction(dataSource, "applying a sync page", c -> {
            long seq = nextSeq(c, account);
            Timestamp now = Timestamp.from(Instant.now());
            List<String> ids = new ArrayList<>(changed.stream().map(Incoming::id).toList());
            ids.addAll(removed);
            Map<String, Existing> existing = existing(c, kind, account, ids);
            List<String> created = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            List<String> deleted = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement(kind.sql("INSERT INTO $T (account_id, $ID, stream, gen, record_json, hash, seq, deleted, "
                    + "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?)"));
                 PreparedStatement change = c.prepareStatement(kind.sql("UPDATE $T SET stream = ?, gen = ?, record_json = ?, hash = ?, seq = ?, "
                         + "deleted = FALSE, changed_at = ? WHERE account_id = ? AND $ID = ?"));
                 PreparedStatement seen = c.prepareStatement(kind.sql("UPDATE $T SET gen = ? WHERE account_id = ? AND $ID = ?"))) {
                Map<String, Incoming> latest = new LinkedHashMap<>();
                changed.forEach(m -> latest.put(m.id(), m)); // a page may carry a message twice: the last one wins
                for (Incoming m : latest.values()) {
                    Existing e = existing.get(m.id());
                    if (e == null) {
                        bind(insert, account, m.id(), stream.stream(), stream.gen(), m.json(), m.hash(), seq, now);
                        insert.addBatch();
                        created.add(m.id());
                    } else if (e.deleted() || !e.hash().equals(m.hash()) || !e.stream().equals(stream.stream())) {
                        bind(change, stream.stream(), stream.gen(), m.json(), m.hash(), seq, now, account, m.id());
                        change.addBatch();
                        (e.deleted() ? created : updated).add(m.id());
                    } else {
                        bind(seen, stream.gen(), account, m.id());
                        seen.addBatch();
                    }
                }
                insert.executeBatch();
                change.executeBatch();
                seen.executeBatch();
            }
            try (PreparedStatement tombstone = c.prepareStatement(kind.sql("UPDATE $T SET deleted = TRUE, seq = ?, changed_at = ? "
                    + "WHERE account_id = ? AND $ID = ?"))) {
                for (String id : removed) {
                    Existing e = existing.get(id);
                    // on Graph a move also removes the message from its old folder's stream: only the stream that holds it drops it
                    if (e != null && !e.deleted() && e.stream().equals(stream.stream()) && !created.contains(id) && !updated.contains(id)) {
                        bind(tombstone, seq, now, account, id);
                        tombstone.addBatch();
                        deleted.add(id);
                    }
                }
                tombstone.executeBatch();
            }
            if (complete && stream.fullPass()) {
                List<String> unseen = ids(c, kind.sql("SELECT $ID FROM $T WHERE account_id = ? AND stream = ? AND gen < ? AND deleted = FALSE"),
                        account, stream.stream(), stream.gen());
                update(c, kind.sql("UPDATE $T SET deleted = TRUE, seq = ?, changed_at = ? WHERE account_id = ? AND stream = ? AND gen < ? "
                        + "AND deleted = FALSE"), seq, now, account, stream.stream(), stream.gen());
                deleted.addAll(unseen);
            }
            update(c, "UPDATE mailbox_sync_stream SET next_cursor = ?, full_pass = ?, updated_at = ? WHERE account_id = ? AND stream = ?",
                    cursor, stream.fullPass() && !complete, Timestamp.from(Instant.now()), account, stream.stream());
            Applied applied = new Applied(created, updated, deleted);
            events.publish(c, applied);
            return applied;
        });
    }

    /** The end of a run: when it was, what went wrong ({@code null}: nothing), and whether every stream has had a full pass. */
    void ran(String account, boolean ready, String error) {
        SqlWork.transaction(dataSource, "recording a sync run", c -> update(c, "UPDATE mailbox_sync SET last_run_at = ?, last_error = ?, "
                + "ready = (ready OR ?) WHERE account_id = ?", Timestamp.from(Instant.now()), error == null ? null
                : error.substring(0, Math.min(500, error.length())), ready, account));
    }

    /** Changes after {@code (seq, id)} in their order, at most {@code limit}. */
    List<Change> changes(Kind kind, String account, long afterSeq, String afterId, int limit) {
        return SqlWork.autocommit(dataSource, "reading index changes", c -> {
            try (PreparedStatement s = c.prepareStatement(kind.sql("SELECT $ID, seq, deleted, record_json FROM $T WHERE account_id = ? "
                    + "AND (seq > ? OR (seq = ? AND $ID > ?)) ORDER BY seq, $ID"))) {
                bind(s, account, afterSeq, afterSeq, afterId);
                s.setMaxRows(limit);
                List<Change> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Change(r.getString(1), r.getLong(2), r.getBoolean(3), r.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Deletes the tombstones changed before {@code cutoff}, account by account, and moves each
     * account's {@code purged_seq} past them: a reader whose token is older has missed deletions.
     *
     * @return the tombstones deleted
     */
    int purge(Kind kind, Instant cutoff) {
        List<Object[]> accounts = SqlWork.autocommit(dataSource, "finding old tombstones", c -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(kind.sql("SELECT account_id, MAX(seq) FROM $T WHERE deleted = TRUE AND changed_at < ? "
                    + "GROUP BY account_id"))) {
                s.setTimestamp(1, Timestamp.from(cutoff));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Object[] {r.getString(1), r.getLong(2)});
                    }
                }
            }
            return out;
        });
        int deleted = 0;
        for (Object[] a : accounts) {
            deleted += SqlWork.transaction(dataSource, "deleting old tombstones", c -> {
                update(c, "UPDATE mailbox_sync SET purged_seq = ? WHERE account_id = ? AND purged_seq < ?", a[1], a[0], a[1]);
                return update(c, kind.sql("DELETE FROM $T WHERE account_id = ? AND deleted = TRUE AND seq <= ?"), a[0], a[1]);
            });
        }
        return deleted;
    }

    /** Publishes a transaction's changes as events in that transaction. */
    @FunctionalInterface
    interface EventSink {
        void publish(Connection tx, Applied applied) throws SQLException;
    }

    private static long nextSeq(Connection c, String account) throws SQLException {
        long seq;
        try (PreparedStatement s = c.prepareStatement("SELECT seq FROM mailbox_sync WHERE account_id = ? FOR UPDATE")) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("the account's sync was switched off");
                }
                seq = r.getLong(1) + 1;
            }
        }
        update(c, "UPDATE mailbox_sync SET seq = ? WHERE account_id = ?", seq, account);
        return seq;
    }

    private static Map<String, Existing> existing(Connection c, Kind kind, String account, List<String> ids) throws SQLException {
        Map<String, Existing> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement s = c.prepareStatement(kind.sql("SELECT $ID, hash, deleted, stream FROM $T WHERE account_id = ? "
                    + "AND $ID IN (" + marks + ")"))) {
                s.setString(1, account);
                for (int i = 0; i < part.size(); i++) {
                    s.setString(i + 2, part.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), new Existing(r.getString(2), r.getBoolean(3), r.getString(4)));
                    }
                }
            }
        }
        return out;
    }

    static List<String> ids(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            return s.executeUpdate();
        }
    }

    static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
