package io.switchboard.connector.google.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarSync;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.SyncPage;
import io.switchboard.core.mailbox.api.SyncReset;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Google Calendar's sync tokens, one stream per calendar of the user's list. A full pass lists the
 * window's events ({@code singleEvents=true}: occurrences expanded, {@code timeMin}/{@code timeMax})
 * page by page ({@code <window start>|list|<pageToken>}); its last page carries the
 * {@code nextSyncToken}, from which later rounds list what changed
 * ({@code <window start>|sync|<token>[|<pageToken>]}; a sync token cannot be combined with a
 * window, so changes outside it come too). A deleted event comes back {@code status: cancelled}:
 * a removal. 410 ({@code fullSyncRequired}) or a window that has moved on means a full pass.
 */
@Component(service = CalendarSync.class, property = Connector.ID + "=google")
public class GoogleEventSync implements CalendarSync {
    private static final int PAGE = 250;

    @Override
    public List<String> streams(MailboxHttp http) throws ProviderRefusal, IOException {
        List<String> ids = new ArrayList<>();
        String pageToken = null;
        do {
            Map<String, Object> page = http.object(http.send("GET", GoogleEvents.API + "/users/me/calendarList?maxResults=250"
                    + (pageToken == null ? "" : "&pageToken=" + UrlParts.encode(pageToken)), Map.of(), null));
            JsonValues.objects(page.get("items")).forEach(c -> ids.add(String.valueOf(c.get("id"))));
            pageToken = JsonValues.string(page.get("nextPageToken"));
        } while (pageToken != null);
        return ids;
    }

    @Override
    public SyncPage<CalendarEvent> page(MailboxHttp http, String calendar, String cursor, Instant from, Instant to)
            throws SyncReset, ProviderRefusal, IOException {
        String window = from.toString();
        StringBuilder request = new StringBuilder(GoogleEvents.API + "/calendars/" + UrlParts.encode(calendar) + "/events?singleEvents=true"
                + "&maxResults=" + PAGE);
        String syncToken = null;
        if (cursor == null) {
            request.append("&timeMin=").append(UrlParts.encode(window)).append("&timeMax=").append(UrlParts.encode(to.toString()));
        } else {
            String[] parts = cursor.split("\\|", 4);
            if (parts.length < 3 || !parts[0].equals(window)) {
                throw new SyncReset("the calendar's window has moved on");
            }
            if (parts[1].equals("list")) {
                request.append("&timeMin=").append(UrlParts.encode(window)).append("&timeMax=").append(UrlParts.encode(to.toString()))
                        .append("&pageToken=").append(UrlParts.encode(parts[2]));
            } else {
                syncToken = parts[2];
                request.append("&syncToken=").append(UrlParts.encode(syncToken));
                if (parts.length > 3) {
                    request.append("&pageToken=").append(UrlParts.encode(parts[3]));
                }
            }
        }
        Upstream.Response r = http.send("GET", request.toString(), Map.of(), null);
        if (r.status() == 410) {
            throw new SyncReset("Google no longer knows the calendar's sync token");
        }
        Map<String, Object> page = http.object(r);
        String zone = JsonValues.string(page.get("timeZone"));
        List<CalendarEvent> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map<String, Object> e : JsonValues.objects(page.get("items"))) {
            if ("cancelled".equals(e.get("status"))) {
                removed.add(String.valueOf(e.get("id")));
            } else {
                changed.add(GoogleEvents.event(e, calendar, zone));
            }
        }
        String next = JsonValues.string(page.get("nextPageToken"));
        if (next != null) {
            return new SyncPage<>(changed, removed, window + (syncToken == null ? "|list|" + next : "|sync|" + syncToken + "|" + next), false);
        }
        String nextSync = JsonValues.string(page.get("nextSyncToken"));
        if (nextSync == null) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, r.status(), "the last page of events carries no nextSyncToken", null);
        }
        return new SyncPage<>(changed, removed, window + "|sync|" + nextSync, true);
    }
}
