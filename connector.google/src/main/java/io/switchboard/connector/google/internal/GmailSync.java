package io.switchboard.connector.google.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MailboxSync;
import io.switchboard.core.mailbox.api.SyncPage;
import io.switchboard.core.mailbox.api.SyncReset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * Gmail's sync, one stream for the whole mailbox. A full pass notes the mailbox's
 * {@code historyId} first ({@code getProfile}), then lists every message, spam and trash included,
 * and reads each one's envelope; its cursor is {@code full:<historyId>:<pageToken>}. Afterwards
 * {@code history.list} from that id ({@code history:<historyId>[:<pageToken>]}) gives what changed
 * <em>after</em> it: each message added or relabelled (trashing is {@code labelsAdded TRASH}) is
 * read again, since history's messages carry only ids; {@code messagesDeleted} (deleted for good)
 * and a message gone by the time it is read are removals. The last page's {@code historyId} is
 * the next round's start. A 404 on an old history id means a full pass.
 */
@Component(service = MailboxSync.class, property = Connector.ID + "=google")
public class GmailSync implements MailboxSync {
    private static final String MAILBOX = "mailbox";
    private static final int PAGE = 500;

    @Override
    public List<String> streams(MailboxHttp http) {
        return List.of(MAILBOX);
    }

    @Override
    public SyncPage<MailMessage> page(MailboxHttp http, String stream, String cursor) throws SyncReset, ProviderRefusal, IOException {
        if (cursor == null || cursor.startsWith("full:")) {
            return full(http, cursor);
        }
        if (!cursor.startsWith("history:")) {
            throw new SyncReset("not a cursor of this connector");
        }
        String[] parts = cursor.split(":", 3);
        String request = GmailMail.API + "/history?maxResults=" + PAGE + "&startHistoryId=" + UrlParts.encode(parts[1])
                + (parts.length > 2 ? "&pageToken=" + UrlParts.encode(parts[2]) : "");
        Upstream.Response r = http.send("GET", request, Map.of(), null);
        if (r.status() == 404) {
            throw new SyncReset("Gmail no longer holds history from " + parts[1]);
        }
        Map<String, Object> page = http.object(r);
        Set<String> touched = new LinkedHashSet<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (Map<String, Object> record : JsonValues.objects(page.get("history"))) {
            for (String kind : List.of("messagesAdded", "labelsAdded", "labelsRemoved", "messagesDeleted")) {
                for (Map<String, Object> change : JsonValues.objects(record.get(kind))) {
                    if (change.get("message") instanceof Map<?, ?> m && m.get("id") instanceof String id) {
                        if (kind.equals("messagesDeleted")) {
                            deleted.add(id);
                            touched.remove(id);
                        } else if (!deleted.contains(id)) {
                            touched.add(id);
                        }
                    }
                }
            }
        }
        List<MailMessage> changed = read(http, touched, deleted);
        String next = JsonValues.string(page.get("nextPageToken"));
        String historyId = JsonValues.string(page.get("historyId"));
        if (next != null) {
            return new SyncPage<>(changed, List.copyOf(deleted), "history:" + parts[1] + ":" + next, false);
        }
        return new SyncPage<>(changed, List.copyOf(deleted), "history:" + (historyId != null ? historyId : parts[1]), true);
    }

    private SyncPage<MailMessage> full(MailboxHttp http, String cursor) throws ProviderRefusal, IOException {
        String historyId;
        String pageToken = null;
        if (cursor == null) {
            historyId = JsonValues.string(http.object(http.send("GET", GmailMail.API + "/profile", Map.of(), null)).get("historyId"));
        } else {
            String[] parts = cursor.split(":", 3);
            historyId = parts[1];
            pageToken = parts.length > 2 ? parts[2] : null;
        }
        Map<String, Object> list = http.object(http.send("GET", GmailMail.API + "/messages?includeSpamTrash=true&maxResults=" + PAGE
                + (pageToken == null ? "" : "&pageToken=" + UrlParts.encode(pageToken)), Map.of(), null));
        Set<String> ids = new LinkedHashSet<>();
        JsonValues.objects(list.get("messages")).forEach(m -> ids.add(String.valueOf(m.get("id"))));
        List<String> gone = new ArrayList<>();
        List<MailMessage> changed = read(http, ids, gone);
        String next = JsonValues.string(list.get("nextPageToken"));
        return next != null ? new SyncPage<>(changed, gone, "full:" + historyId + ":" + next, false)
                : new SyncPage<>(changed, gone, "history:" + historyId, true);
    }

    /** Each message's envelope and attachments' names and sizes; one deleted meanwhile (404) joins {@code gone}. */
    private static List<MailMessage> read(MailboxHttp http, Set<String> ids, java.util.Collection<String> gone) throws ProviderRefusal, IOException {
        List<MailMessage> out = new ArrayList<>();
        for (String id : ids) {
            Upstream.Response r = GmailMail.indexed(http, id);
            if (r.status() == 404) {
                gone.add(id);
            } else {
                out.add(GmailMail.withoutBodies(http.object(r)));
            }
        }
        return out;
    }
}
