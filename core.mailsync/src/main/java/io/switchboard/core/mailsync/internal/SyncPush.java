package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.util.Digests;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MailboxPush;
import io.switchboard.core.store.api.SqlWork;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider push as an accelerator of the sync (Graph's subscriptions): a synced account's run
 * keeps one subscription per watched resource ({@link #keep}: created when missing, renewed when
 * its renewal is due, dropped when no longer watched), and a delivery ({@link #receive}) only
 * wakes the account's sync, after its {@code clientState} matched; the sync's cursors stay the
 * truth. Lifecycle events: {@code reauthorizationRequired} makes the next run renew (a renewal
 * reauthorizes), {@code subscriptionRemoved} makes it subscribe again, {@code missed} wakes it.
 * Only the SHA-256 of a {@code clientState} is kept.
 */
final class SyncPush {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPush.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A subscription as kept. */
    record Row(String subscriptionId, String accountId, String appId, String resource, String clientStateHash, Instant expires, Instant renewAt) {}

    private final DataSource dataSource;
    private final String notificationBase;
    private final Duration life;
    private final Duration renewBefore;

    /**
     * @param pushUrl the server's public base URL (notifications go to {@code <pushUrl>/v1/push/<connector>}), or empty: no push
     * @param life how long a subscription is asked for (the provider's longest life caps it)
     * @param renewBefore how long before its expiry a subscription is renewed
     */
    SyncPush(DataSource dataSource, String pushUrl, Duration life, Duration renewBefore) {
        this.dataSource = dataSource;
        this.notificationBase = pushUrl == null ? "" : pushUrl.trim().replaceAll("/+$", "");
        this.life = life;
        this.renewBefore = renewBefore;
    }

    boolean enabled() {
        return !notificationBase.isEmpty();
    }

    /**
     * Keeps the account's subscriptions in step with what it syncs. A provider's refusal is logged
     * and tried again at the next run: push only speeds the sync up, polling goes on meanwhile.
     */
    void keep(String app, String accountId, String connectorId, MailboxHttp http, MailboxPush push, boolean mail, boolean calendar) {
        List<String> wanted = push.resources(mail, calendar);
        Map<String, Row> held = new LinkedHashMap<>();
        rows(accountId).forEach(r -> held.put(r.resource(), r));
        Instant now = Instant.now();
        Duration length = life.compareTo(push.longestLife()) < 0 ? life : push.longestLife();
        Instant expires = now.plus(length).minusSeconds(60);
        Instant renewAt = expires.minus(renewBefore.compareTo(length.dividedBy(2)) < 0 ? renewBefore : length.dividedBy(2));
        for (Row gone : held.values()) {
            if (!wanted.contains(gone.resource())) {
                attempt(accountId, "ending the subscription to " + gone.resource(), () -> push.unsubscribe(http, gone.subscriptionId()));
                delete(gone.subscriptionId());
            }
        }
        for (String resource : wanted) {
            Row row = held.get(resource);
            if (row != null && row.renewAt().isAfter(now)) {
                continue;
            }
            if (row != null) {
                boolean renewed = attempt(accountId, "renewing the subscription to " + resource, () -> {
                    MailboxPush.Subscription s = push.renew(http, row.subscriptionId(), expires);
                    update(row.subscriptionId(), s.expires(), renewAt);
                });
                if (renewed) {
                    continue;
                }
                delete(row.subscriptionId()); // gone at the provider, or refused: subscribe anew
            }
            String clientState = secret();
            String url = notificationBase + "/v1/push/" + connectorId;
            attempt(accountId, "subscribing to " + resource, () -> {
                MailboxPush.Subscription s = push.subscribe(http, resource, url, url, clientState, expires);
                insert(new Row(s.id(), accountId, app, resource, Digests.sha256Hex(clientState), s.expires(), renewAt));
            });
        }
    }

    /**
     * Takes a delivery's notifications: each whose subscription is known and whose
     * {@code clientState} matches wakes its account ({@code wake} gets app and account, once per
     * account); the rest are left out. Returns how many were taken.
     */
    int receive(List<MailboxPush.Notice> notices, BiConsumer<String, String> wake) {
        Map<String, String> woken = new LinkedHashMap<>();
        int taken = 0;
        for (MailboxPush.Notice n : notices) {
            Row row = row(n.subscriptionId());
            if (row == null || n.clientState() == null || !Digests.constantTimeEquals(row.clientStateHash(), Digests.sha256Hex(n.clientState()))) {
                LOG.info("Push notification for subscription {} left out: {}", n.subscriptionId(), row == null ? "unknown subscription" : "clientState does not match");
                continue;
            }
            taken++;
            if ("reauthorizationRequired".equals(n.lifecycleEvent())) {
                update(row.subscriptionId(), row.expires(), Instant.now());
            } else if ("subscriptionRemoved".equals(n.lifecycleEvent())) {
                delete(row.subscriptionId());
            }
            woken.putIfAbsent(row.accountId(), row.appId());
        }
        woken.forEach((account, app) -> wake.accept(app, account));
        return taken;
    }

    /**
     * Ends the account's subscriptions at the provider (its sync switched off), each attempt
     * logged when refused, then forgets them.
     */
    void end(String accountId, MailboxHttp http, MailboxPush push) {
        for (Row row : rows(accountId)) {
            attempt(accountId, "ending the subscription to " + row.resource(), () -> push.unsubscribe(http, row.subscriptionId()));
        }
        drop(accountId);
    }

    /** Forgets an account's subscriptions (those not ended at the provider lapse; deliveries for them are left out). */
    void drop(String accountId) {
        SqlWork.autocommit(dataSource, "dropping push subscriptions", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM mailbox_push WHERE account_id = ?")) {
                s.setString(1, accountId);
                return s.executeUpdate();
            }
        });
    }

    List<Row> rows(String accountId) {
        return select("account_id", accountId);
    }

    private Row row(String subscriptionId) {
        List<Row> rows = select("subscription_id", subscriptionId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<Row> select(String column, String value) {
        return SqlWork.autocommit(dataSource, "reading push subscriptions", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT subscription_id, account_id, app_id, resource, client_state_hash, expires_at, "
                    + "renew_at FROM mailbox_push WHERE " + column + " = ?")) {
                s.setString(1, value);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Row(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                                r.getTimestamp(6).toInstant(), r.getTimestamp(7).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    private void insert(Row row) {
        SqlWork.autocommit(dataSource, "keeping a push subscription", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_push (subscription_id, account_id, app_id, resource, "
                    + "client_state_hash, expires_at, renew_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, row.subscriptionId());
                s.setString(2, row.accountId());
                s.setString(3, row.appId());
                s.setString(4, row.resource());
                s.setString(5, row.clientStateHash());
                s.setTimestamp(6, Timestamp.from(row.expires()));
                s.setTimestamp(7, Timestamp.from(row.renewAt()));
                return s.executeUpdate();
            }
        });
    }

    private void update(String subscriptionId, Instant expires, Instant renewAt) {
        SqlWork.autocommit(dataSource, "renewing a push subscription", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE mailbox_push SET expires_at = ?, renew_at = ? WHERE subscription_id = ?")) {
                s.setTimestamp(1, Timestamp.from(expires));
                s.setTimestamp(2, Timestamp.from(renewAt));
                s.setString(3, subscriptionId);
                return s.executeUpdate();
            }
        });
    }

    private void delete(String subscriptionId) {
        SqlWork.autocommit(dataSource, "dropping a push subscription", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM mailbox_push WHERE subscription_id = ?")) {
                s.setString(1, subscriptionId);
                return s.executeUpdate();
            }
        });
    }

    /** A call to the provider. */
    @FunctionalInterface
    private interface Call {
        void run() throws ProviderRefusal, IOException;
    }

    /** Runs a call; a refusal or an unreachable provider is logged and answered {@code false}. */
    private static boolean attempt(String accountId, String what, Call call) {
        try {
            call.run();
            return true;
        } catch (ProviderRefusal | IOException e) {
            LOG.warn("Push for account {}: {} failed ({}); polling goes on", accountId, what, e.getMessage());
            return false;
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
