package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.mailbox.api.MailFolder;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxConnector;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.SyncPage;
import io.switchboard.core.store.api.SqlWork;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.SealedRows;
import io.switchboard.core.vault.api.SealedSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The bodies of synced messages, for the folders an app asked for: its connector option
 * {@value #OPTION} names them by kind ({@code inbox}, {@code sent}, {@code drafts}, {@code archive},
 * {@code trash}, {@code spam}) or by the provider's folder or label id, comma-separated. Each run
 * resolves the names to the mailbox's folder ids; a message in one of them has its text and HTML
 * bodies read (the unified get: one call per message, once, and again for a draft that changed)
 * and kept sealed for the app, the account and the message, in the transaction that indexes it.
 * A message that leaves those folders, or the index, loses its body there too. A different set of
 * folders than the last run's starts a full pass of the mailbox, which fills the bodies it lacks;
 * an empty option drops them all. A body over {@value #MAX_BYTES} bytes (UTF-8, both parts) is not
 * kept (the unified get reads it live).
 */
@Component(service = {SyncBodies.class, SealedRows.class})
public class SyncBodies implements SealedRows {
    /** The app's connector option naming the folders whose messages' bodies are kept. */
    static final String OPTION = "sync.bodies";
    static final int MAX_BYTES = 750_000;
    private static final String FIELD = "body";

    private final DataSource dataSource;
    private final SealedSecrets secrets;

    @Activate
    public SyncBodies(@Reference(target = "(&(osgi.jndi.service.name=" + Store.DATA_SOURCE_NAME + ")(" + Store.SCHEMAS_PROPERTY + "=mailsync))")
                      DataSource dataSource, @Reference SealedSecrets secrets) {
        this.dataSource = dataSource;
        this.secrets = secrets;
    }

    /**
     * What a run does with bodies: the folder ids whose messages keep theirs (empty: none), and
     * whether they differ from the last run's (then the mailbox needs a full pass to fill them).
     */
    final class Plan {
        private final String app;
        private final String account;
        private final MailboxConnector connector;
        private final MailboxHttp http;
        private final Set<String> folders;
        final boolean changed;
        /** The bodies of the page being applied: id to sealed value, or {@code null} to drop the message's body. */
        private Map<String, String> pending = Map.of();

        private Plan(String app, String account, MailboxConnector connector, MailboxHttp http, Set<String> folders, boolean changed) {
            this.app = app;
            this.account = account;
            this.connector = connector;
            this.http = http;
            this.folders = folders;
            this.changed = changed;
        }

        /** Reads the bodies the page's messages need (before its transaction), and hands the page on. */
        SyncPage<MailMessage> prepare(SyncPage<MailMessage> page) throws ProviderRefusal, IOException {
            if (folders.isEmpty()) {
                return page;
            }
            Set<String> kept = kept(page.changed().stream().map(MailMessage::id).toList());
            Map<String, String> bodies = new HashMap<>();
            for (MailMessage m : page.changed()) {
                if (m.folderIds().stream().noneMatch(folders::contains)) {
                    bodies.put(m.id(), null);
                } else if (!kept.contains(m.id()) || m.draft()) {
                    bodies.put(m.id(), seal(connector.message(http, m.id())));
                }
            }
            pending = bodies;
            return page;
        }

        /** Writes the prepared bodies and drops those of deleted messages in the page's transaction, then publishes its events. */
        SyncRows.EventSink around(SyncRows.EventSink events) {
            if (folders.isEmpty()) {
                return events;
            }
            return (tx, applied) -> {
                List<String> drop = new ArrayList<>(applied.deleted());
                pending.forEach((id, sealed) -> drop.add(id));
                try (PreparedStatement delete = tx.prepareStatement("DELETE FROM mailbox_body WHERE account_id = ? AND message_id = ?");
                     PreparedStatement insert = tx.prepareStatement("INSERT INTO mailbox_body (account_id, message_id, app_id, sealed) "
                             + "VALUES (?, ?, ?, ?)")) {
                    for (String id : new HashSet<>(drop)) {
                        SyncRows.bind(delete, account, id);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                    for (Map.Entry<String, String> e : pending.entrySet()) {
                        if (e.getValue() != null && !applied.deleted().contains(e.getKey())) {
                            SyncRows.bind(insert, account, e.getKey(), app, e.getValue());
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                }
                // a body newly kept for a message the page did not change (the folders were chosen since): readers see the message again
                List<String> filled = pending.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                        .filter(id -> !applied.created().contains(id) && !applied.updated().contains(id) && !applied.deleted().contains(id))
                        .toList();
                List<String> updated = new ArrayList<>(applied.updated());
                if (!filled.isEmpty()) {
                    long seq = Long.parseLong(SyncRows.ids(tx, "SELECT seq FROM mailbox_sync WHERE account_id = ?", account).get(0));
                    try (PreparedStatement touch = tx.prepareStatement("UPDATE mailbox_message SET seq = ? WHERE account_id = ? AND message_id = ? "
                            + "AND deleted = FALSE")) {
                        for (String id : filled) {
                            SyncRows.bind(touch, seq, account, id);
                            touch.addBatch();
                        }
                        touch.executeBatch();
                    }
                    updated.addAll(filled);
                }
                events.publish(tx, new SyncRows.Applied(applied.created(), updated, applied.deleted()));
            };
        }

        private String seal(MailMessage whole) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("textBody", whole.textBody());
            body.put("htmlBody", whole.htmlBody());
            String json = SyncRecords.write(body);
            if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                return null;
            }
            return secrets.seal(json, app, account + "/" + whole.id(), FIELD);
        }

        private Set<String> kept(List<String> ids) {
            return SqlWork.autocommit(dataSource, "reading kept bodies", c -> {
                Set<String> out = new HashSet<>();
                for (int from = 0; from < ids.size(); from += SyncRows.IN_LIST) {
                    List<String> part = ids.subList(from, Math.min(ids.size(), from + SyncRows.IN_LIST));
                    out.addAll(SyncRows.ids(c, "SELECT message_id FROM mailbox_body WHERE account_id = ? AND message_id IN ("
                            + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")", concat(account, part)));
                }
                return out;
            });
        }
    }

    /**
     * The run's plan: the app's option resolved to the mailbox's folder ids (one call for its
     * folders when the option is set); the account's bodies dropped when it is empty.
     */
    Plan plan(String app, String account, Map<String, String> options, MailboxConnector connector, MailboxHttp http)
            throws ProviderRefusal, IOException {
        String option = options.getOrDefault(OPTION, "");
        Set<String> folders = new TreeSet<>();
        if (!option.isBlank()) {
            Set<String> names = new HashSet<>();
            for (String name : option.split(",")) {
                names.add(name.trim().toLowerCase(Locale.ROOT));
            }
            for (MailFolder f : connector.folders(http)) {
                if (names.contains(f.id().toLowerCase(Locale.ROOT)) || f.kind() != null && names.contains(f.kind())) {
                    folders.add(f.id());
                }
            }
        }
        String now = String.join("\n", folders);
        String before = SqlWork.autocommit(dataSource, "reading the kept bodies' folders", c -> {
            List<String> stored = SyncRows.ids(c, "SELECT body_folders FROM mailbox_sync WHERE account_id = ?", account);
            return stored.isEmpty() || stored.get(0) == null ? "" : stored.get(0);
        });
        if (!now.equals(before)) {
            SqlWork.transaction(dataSource, "changing the kept bodies' folders", c -> {
                SyncRows.update(c, "UPDATE mailbox_sync SET body_folders = ? WHERE account_id = ?", now, account);
                return folders.isEmpty() ? SyncRows.update(c, "DELETE FROM mailbox_body WHERE account_id = ?", account) : 0;
            });
        }
        return new Plan(app, account, connector, http, folders, !folders.isEmpty() && !now.equals(before));
    }

    /** The kept bodies of these messages of the account, opened: id to {@code textBody}, {@code htmlBody}. */
    Map<String, Map<String, Object>> open(String app, String account, List<String> ids) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        SqlWork.autocommit(dataSource, "reading kept bodies", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT message_id, sealed FROM mailbox_body WHERE account_id = ? AND app_id = ? "
                    + "AND message_id IN (" + String.join(",", ids.stream().map(i -> "?").toList()) + ")")) {
                List<Object> parameters = new ArrayList<>(List.of(account, app));
                parameters.addAll(ids);
                SyncRows.bind(s, parameters.toArray());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), SyncRecords.read(secrets.open(r.getString(2), app, account + "/" + r.getString(1), FIELD)));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Drops every body of the account (its sync switched off). */
    void drop(String account) {
        SqlWork.transaction(dataSource, "dropping kept bodies", c -> SyncRows.update(c, "DELETE FROM mailbox_body WHERE account_id = ?", account));
    }

    @Override
    public String name() {
        return "mailBodies";
    }

    /** Re-seals, one row per transaction, every body sealed with an older key. */
    @Override
    public int rewrap() {
        List<String[]> rows = SqlWork.autocommit(dataSource, "listing kept bodies", c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT account_id, message_id FROM mailbox_body"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
            return out;
        });
        int changed = 0;
        for (String[] row : rows) {
            changed += SqlWork.transaction(dataSource, "re-sealing a kept body", c -> rewrap(c, row[0], row[1]));
        }
        return changed;
    }

    private int rewrap(Connection c, String account, String message) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT app_id, sealed FROM mailbox_body WHERE account_id = ? AND message_id = ? FOR UPDATE")) {
            SyncRows.bind(s, account, message);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !secrets.needsRewrap(r.getString(2))) {
                    return 0;
                }
                String sealed = secrets.rewrap(r.getString(2), r.getString(1), account + "/" + message, FIELD);
                return SyncRows.update(c, "UPDATE mailbox_body SET sealed = ? WHERE account_id = ? AND message_id = ?", sealed, account, message);
            }
        }
    }

    private static Object[] concat(String first, List<String> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }
}
