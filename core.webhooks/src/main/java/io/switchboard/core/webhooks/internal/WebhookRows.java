package io.switchboard.core.webhooks.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import io.switchboard.core.store.api.SqlTx;
import io.switchboard.core.store.api.SqlWork;
import javax.sql.DataSource;

/** The webhook tables, each call one short statement or transaction on a connection of its own. */
final class WebhookRows {
    /** An endpoint as stored; secrets still sealed. */
    record Endpoint(String id, String app, String url, String description, List<String> eventTypes, boolean enabled,
                    String disabledReason, String secret, String previousSecret, Instant previousUntil, Instant failingSince,
                    Instant createdAt) {
        boolean wants(String type) {
            return WebhookRows.wants(eventTypes, type);
        }

        Endpoint withSettings(String url, String description, List<String> eventTypes, boolean enabled, String disabledReason) {
            return new Endpoint(id, app, url, description, eventTypes, enabled, disabledReason, secret, previousSecret, previousUntil,
                    failingSince, createdAt);
        }

        Endpoint withSecrets(String secret, String previousSecret, Instant previousUntil) {
            return new Endpoint(id, app, url, description, eventTypes, enabled, disabledReason, secret, previousSecret, previousUntil,
                    failingSince, createdAt);
        }

        /** Failing since then ({@code null}: it answers again); {@code disabledReason} non-null disables it. */
        Endpoint withFailingSince(Instant since, String disabledReason) {
            return new Endpoint(id, app, url, description, eventTypes, enabled && disabledReason == null,
                    disabledReason == null ? this.disabledReason : disabledReason, secret, previousSecret, previousUntil, since, createdAt);
        }
    }

    record Delivery(String id, String eventId, String endpointId, String app, String state, int attempts, Integer lastStatus,
                    String lastError, Instant createdAt, Instant updatedAt) {}

    record Attempt(int attempt, Instant at, Integer status, int latencyMs, String response, String error) {}

    record Event(String id, String app, String type, String body, Instant createdAt) {}

    /** Whether an endpoint subscribed to {@code eventTypes} (a type, or {@code *} for all) wants an event of {@code type}. */
    static boolean wants(List<String> eventTypes, String type) {
        return eventTypes.contains("*") || eventTypes.contains(type);
    }

    /** The stored form of an endpoint's event types. */
    static List<String> eventTypes(String stored) {
        return Arrays.asList(stored.split(" "));
    }

    /** A delivery with its endpoint and event (either {@code null} when deleted meanwhile), read at once. */
    record Work(Delivery delivery, Endpoint endpoint, Event event) {}

    /** Deliveries not yet ended, and when the oldest of them was created. */
    record Queue(long pending, Instant oldest) {}

    private static final String ENDPOINT_COLUMNS = "id, app_id, url, description, event_types, enabled, disabled_reason, secret, "
            + "previous_secret, previous_until, failing_since, created_at";
    private static final String DELIVERY_COLUMNS = "id, event_id, endpoint_id, app_id, state, attempts, last_status, last_error, "
            + "created_at, updated_at";

    private final DataSource dataSource;

    WebhookRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- endpoints

    void insert(Endpoint e) {
        transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_endpoint (" + ENDPOINT_COLUMNS + ", updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, e.id());
                s.setString(2, e.app());
                s.setString(3, e.url());
                s.setString(4, e.description());
                s.setString(5, String.join(" ", e.eventTypes()));
                s.setBoolean(6, e.enabled());
                s.setString(7, e.disabledReason());
                s.setString(8, e.secret());
                s.setString(9, e.previousSecret());
                s.setTimestamp(10, ts(e.previousUntil()));
                s.setTimestamp(11, ts(e.failingSince()));
                s.setTimestamp(12, ts(e.createdAt()));
                s.setTimestamp(13, ts(Instant.now()));
                return s.executeUpdate();
            }
        });
    }

    /** Replaces the endpoint's changeable columns. */
    void update(Endpoint e) {
        transaction(c -> update(c, e));
    }

    static int update(Connection c, Endpoint e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE webhook_endpoint SET url = ?, description = ?, event_types = ?, "
                + "enabled = ?, disabled_reason = ?, secret = ?, previous_secret = ?, previous_until = ?, failing_since = ?, "
                + "updated_at = ? WHERE id = ?")) {
            s.setString(1, e.url());
            s.setString(2, e.description());
            s.setString(3, String.join(" ", e.eventTypes()));
            s.setBoolean(4, e.enabled());
            s.setString(5, e.disabledReason());
            s.setString(6, e.secret());
            s.setString(7, e.previousSecret());
            s.setTimestamp(8, ts(e.previousUntil()));
            s.setTimestamp(9, ts(e.failingSince()));
            s.setTimestamp(10, ts(Instant.now()));
            s.setString(11, e.id());
            return s.executeUpdate();
        }
    }

    boolean delete(String app, String id) {
        return transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM webhook_endpoint WHERE app_id = ? AND id = ?")) {
                s.setString(1, app);
                s.setString(2, id);
                return s.executeUpdate();
            }
        }) > 0;
    }

    List<Endpoint> endpoints(String app) {
        return query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE app_id = ? ORDER BY created_at, id",
                WebhookRows::endpoint, app);
    }

    List<Endpoint> allEndpoints() {
        return query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint", WebhookRows::endpoint);
    }

    Optional<Endpoint> endpoint(String id) {
        return query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE id = ?", WebhookRows::endpoint, id).stream().findFirst();
    }

    // ---- events and deliveries

    /** Writes an event on the caller's transaction. */
    static void insertEvent(SqlTx tx, Event e) {
        tx.update("INSERT INTO webhook_event (id, app_id, event_type, body, created_at) VALUES (?, ?, ?, ?, ?)",
                e.id(), e.app(), e.type(), e.body(), ts(e.createdAt()));
    }

    /** Writes a new delivery (no attempt yet: no status, no error) on the caller's transaction. */
    static void insertDelivery(SqlTx tx, Delivery d) {
        tx.update("INSERT INTO webhook_delivery (id, event_id, endpoint_id, app_id, state, attempts, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", d.id(), d.eventId(), d.endpointId(), d.app(), d.state(), d.attempts(),
                ts(d.createdAt()), ts(d.updatedAt()));
    }

    Optional<Delivery> delivery(String id) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery WHERE id = ?", WebhookRows::delivery, id).stream().findFirst();
    }

    /** A delivery, its endpoint and its event in one query (a delivery run's first read). */
    Optional<Work> work(String deliveryId) {
        String columns = prefixed("d.", DELIVERY_COLUMNS) + ", " + prefixed("p.", ENDPOINT_COLUMNS) + ", e.id, e.app_id, e.event_type, e.body, e.created_at";
        return query("SELECT " + columns + " FROM webhook_delivery d LEFT JOIN webhook_endpoint p ON p.id = d.endpoint_id "
                + "LEFT JOIN webhook_event e ON e.id = d.event_id WHERE d.id = ?", r -> {
                    Delivery delivery = delivery(r);
                    Endpoint endpoint = r.getString(11) == null ? null : endpoint(r, 10);
                    Event event = r.getString(23) == null ? null : event(r, 22);
                    return new Work(delivery, endpoint, event);
                }, deliveryId).stream().findFirst();
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + String.join(", " + prefix, columns.split(", "));
    }

    /** An endpoint's deliveries, newest first; {@code state} and {@code since} optional. */
    List<Delivery> deliveries(String endpointId, String state, Instant since, int limit) {
        return SqlWork.autocommit(dataSource, "webhook tables", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery WHERE endpoint_id = ? "
                    + "AND (? IS NULL OR state = ?) AND created_at >= ? ORDER BY created_at DESC, id")) {
                s.setMaxRows(limit);
                s.setString(1, endpointId);
                s.setString(2, state);
                s.setString(3, state);
                s.setTimestamp(4, ts(since == null ? Instant.EPOCH : since));
                return list(s, WebhookRows::delivery);
            }
        });
    }

    /** The app's latest events, newest first; {@code type} optional. */
    List<Event> events(String app, String type, int limit) {
        return SqlWork.autocommit(dataSource, "webhook tables", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, app_id, event_type, body, created_at FROM webhook_event "
                    + "WHERE app_id = ? AND (? IS NULL OR event_type = ?) ORDER BY created_at DESC, id")) {
                s.setMaxRows(limit);
                s.setString(1, app);
                s.setString(2, type);
                s.setString(3, type);
                return list(s, r -> event(r, 0));
            }
        });
    }

    /** Records an attempt and the delivery's state after it, in one transaction (not waiting for the disk: see below). */
    void attempted(String deliveryId, Attempt a, String state) {
        // the run's completion, which follows, waits for the disk and so makes this durable too
        SqlWork.lightTransaction(dataSource, "webhook tables", c -> {
            try (PreparedStatement log = c.prepareStatement("INSERT INTO webhook_attempt (delivery_id, attempt, at, status, latency_ms, "
                    + "response, error) VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement d = c.prepareStatement("UPDATE webhook_delivery SET state = ?, attempts = ?, last_status = ?, "
                         + "last_error = ?, updated_at = ? WHERE id = ?")) {
                log.setString(1, deliveryId);
                log.setInt(2, a.attempt());
                log.setTimestamp(3, ts(a.at()));
                log.setObject(4, a.status());
                log.setInt(5, a.latencyMs());
                log.setString(6, a.response());
                log.setString(7, a.error());
                log.executeUpdate();
                d.setString(1, state);
                d.setInt(2, a.attempt());
                d.setObject(3, a.status());
                d.setString(4, a.error());
                d.setTimestamp(5, ts(a.at()));
                d.setString(6, deliveryId);
                return d.executeUpdate();
            }
        });
    }

    void state(String deliveryId, String state) {
        transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("UPDATE webhook_delivery SET state = ?, updated_at = ? WHERE id = ?")) {
                d.setString(1, state);
                d.setTimestamp(2, ts(Instant.now()));
                d.setString(3, deliveryId);
                return d.executeUpdate();
            }
        });
    }

    List<Attempt> attempts(String deliveryId) {
        return query("SELECT attempt, at, status, latency_ms, response, error FROM webhook_attempt WHERE delivery_id = ? ORDER BY at",
                r -> new Attempt(r.getInt(1), r.getTimestamp(2).toInstant(), (Integer) r.getObject(3), r.getInt(4), r.getString(5),
                        r.getString(6)), deliveryId);
    }

    Queue queue() {
        return SqlWork.autocommit(dataSource, "webhook tables", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM webhook_delivery WHERE state = 'pending'");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return new Queue(r.getLong(1), instant(r.getTimestamp(2)));
            }
        });
    }

    // ---- plumbing

    private static Endpoint endpoint(ResultSet r) throws SQLException {
        return endpoint(r, 0);
    }

    /** The endpoint in the 12 columns after {@code skip}. */
    private static Endpoint endpoint(ResultSet r, int skip) throws SQLException {
        return new Endpoint(r.getString(skip + 1), r.getString(skip + 2), r.getString(skip + 3), r.getString(skip + 4),
                eventTypes(r.getString(skip + 5)), r.getBoolean(skip + 6), r.getString(skip + 7), r.getString(skip + 8),
                r.getString(skip + 9), instant(r.getTimestamp(skip + 10)), instant(r.getTimestamp(skip + 11)),
                instant(r.getTimestamp(skip + 12)));
    }

    private static Event event(ResultSet r, int skip) throws SQLException {
        return new Event(r.getString(skip + 1), r.getString(skip + 2), r.getString(skip + 3), r.getString(skip + 4),
                r.getTimestamp(skip + 5).toInstant());
    }

    private static Delivery delivery(ResultSet r) throws SQLException {
        return new Delivery(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getInt(6),
                (Integer) r.getObject(7), r.getString(8), instant(r.getTimestamp(9)), instant(r.getTimestamp(10)));
    }

    static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, String... parameters) {
        return SqlWork.autocommit(dataSource, "webhook tables", c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setString(i + 1, parameters[i]);
                }
                return list(s, row);
            }
        });
    }

    private static <T> List<T> list(PreparedStatement s, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(row.read(r));
            }
        }
        return out;
    }

    /** One transaction on a connection of its own. */
    <T> T transaction(SqlWork<T> work) {
        return SqlWork.transaction(dataSource, "webhook tables", work);
    }
}
