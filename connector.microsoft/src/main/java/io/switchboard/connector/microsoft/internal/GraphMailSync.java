package io.switchboard.connector.microsoft.internal;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Microsoft Graph's message delta, one stream per mail folder
 * ({@code GET /me/mailFolders/{id}/messages/delta}): a round follows {@code @odata.nextLink}s,
 * empty pages included, until the {@code @odata.deltaLink}, which is kept whole as the next
 * round's cursor. Immutable ids, so a message keeps its id across moves (it is {@code @removed}
 * from one folder's delta and listed by the other's). An updated record that lacks its envelope
 * is read again; a message with attachments has their names and sizes read too (one call, as the
 * delta query cannot expand them). 410, {@code syncStateNotFound} and {@code resyncRequired} mean the folder must be
 * read in full again, and so does a skip token Graph no longer honours (400 to a {@code nextLink}
 * kept across a restart: the round cannot go on where it stopped).
 */
@Component(service = MailboxSync.class, property = Connector.ID + "=microsoft")
public class GraphMailSync implements MailboxSync {
    private static final Map<String, String> DELTA = Map.of("Prefer", GraphMail.IMMUTABLE.get("Prefer") + ", odata.maxpagesize=200");

    @Override
    public List<String> streams(MailboxHttp http) throws ProviderRefusal, IOException {
        List<String> ids = new ArrayList<>();
        List<String> next = new ArrayList<>(List.of("/v1.0/me/mailFolders?$top=100&$select=id,childFolderCount"));
        while (!next.isEmpty()) {
            String request = next.remove(0);
            while (request != null) {
                Map<String, Object> page = http.object(http.send("GET", GraphMail.relative(http, request), GraphMail.IMMUTABLE, null));
                for (Map<String, Object> f : JsonValues.objects(page.get("value"))) {
                    String id = String.valueOf(f.get("id"));
                    ids.add(id);
                    if (f.get("childFolderCount") instanceof Number n && n.intValue() > 0) {
                        next.add("/v1.0/me/mailFolders/" + UrlParts.encode(id) + "/childFolders?$top=100&$select=id,childFolderCount");
                    }
                }
                request = JsonValues.string(page.get("@odata.nextLink"));
            }
        }
        return ids;
    }

    @Override
    public SyncPage<MailMessage> page(MailboxHttp http, String folder, String cursor) throws SyncReset, ProviderRefusal, IOException {
        String request = cursor != null ? GraphMail.relative(http, cursor)
                : "/v1.0/me/mailFolders/" + UrlParts.encode(folder) + "/messages/delta?$select=" + GraphMail.ENVELOPE;
        Upstream.Response r = http.send("GET", request, DELTA, null);
        if (stale(r, request)) {
            throw new SyncReset("Graph answered " + r.status() + " to the folder's delta or skip token");
        }
        Map<String, Object> page = http.object(r);
        List<MailMessage> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map<String, Object> m : JsonValues.objects(page.get("value"))) {
            String id = String.valueOf(m.get("id"));
            if (m.containsKey("@removed")) {
                removed.add(id);
            } else if (m.containsKey("receivedDateTime") && m.containsKey("parentFolderId")) {
                changed.add(GraphMail.Graph.message(m, null, null, GraphMail.attachments(http, m)));
            } else { // only the changed properties: read the whole envelope
                Upstream.Response whole = http.send("GET", "/v1.0/me/messages/" + UrlParts.encode(id) + "?$select=" + GraphMail.ENVELOPE,
                        GraphMail.IMMUTABLE, null);
                if (whole.status() == 404) {
                    removed.add(id);
                } else {
                    Map<String, Object> envelope = http.object(whole);
                    changed.add(GraphMail.Graph.message(envelope, null, null, GraphMail.attachments(http, envelope)));
                }
            }
        }
        String next = JsonValues.string(page.get("@odata.nextLink"));
        String delta = JsonValues.string(page.get("@odata.deltaLink"));
        if (next == null && delta == null) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, r.status(), "a delta page with neither nextLink nor deltaLink", null);
        }
        return new SyncPage<>(changed, removed, next != null ? next : delta, next == null);
    }

    /**
     * Whether Graph's answer to a delta request says the cursor is gone: 410, a 4xx naming
     * {@code syncStateNotFound} or {@code resyncRequired}, or a 400 to a round's {@code $skiptoken}.
     */
    static boolean stale(Upstream.Response r, String request) {
        if (r.status() == 410) {
            return true;
        }
        if (r.status() < 400 || r.status() >= 500 || r.status() == 401 || r.status() == 403 || r.status() == 429) {
            return false;
        }
        String body = r.body() == null ? "" : r.body().toLowerCase(Locale.ROOT);
        return body.contains("syncstatenotfound") || body.contains("resyncrequired") || r.status() == 400 && request.contains("skiptoken=");
    }
}
