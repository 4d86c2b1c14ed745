package io.switchboard.connector.microsoft.internal;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Microsoft Graph's event delta, one stream per calendar
 * ({@code GET /me/calendars/{id}/calendarView/delta?startDateTime&endDateTime}): the window is
 * fixed in the round's tokens, so the cursor is {@code <window start>|<link>} and a window that
 * has moved on means a full pass ({@link SyncReset}). Occurrences of recurring events come
 * expanded, in UTC, with immutable ids. {@code @removed} also comes for events outside the window
 * that changed, which the index simply does not hold; 410 means a full pass.
 */
@Component(service = CalendarSync.class, property = Connector.ID + "=microsoft")
public class GraphEventSync implements CalendarSync {
    private static final Map<String, String> DELTA = delta();

    private static Map<String, String> delta() {
        Map<String, String> headers = new LinkedHashMap<>(GraphEvents.UTC);
        headers.put("Prefer", GraphEvents.UTC.get("Prefer") + ", odata.maxpagesize=100");
        return Map.copyOf(headers);
    }

    @Override
    public List<String> streams(MailboxHttp http) throws ProviderRefusal, IOException {
        List<String> ids = new ArrayList<>();
        String next = "/v1.0/me/calendars?$top=100&$select=id";
        while (next != null) {
            Map<String, Object> page = http.object(http.send("GET", GraphMail.relative(http, next), GraphMail.IMMUTABLE, null));
            JsonValues.objects(page.get("value")).forEach(c -> ids.add(String.valueOf(c.get("id"))));
            next = JsonValues.string(page.get("@odata.nextLink"));
        }
        return ids;
    }

    @Override
    public SyncPage<CalendarEvent> page(MailboxHttp http, String calendar, String cursor, Instant from, Instant to)
            throws SyncReset, ProviderRefusal, IOException {
        String window = from.toString();
        String request;
        if (cursor == null) {
            request = "/v1.0/me/calendars/" + UrlParts.encode(calendar) + "/calendarView/delta?startDateTime=" + UrlParts.encode(window)
                    + "&endDateTime=" + UrlParts.encode(to.toString());
        } else {
            int bar = cursor.indexOf('|');
            if (bar < 0 || !cursor.substring(0, bar).equals(window)) {
                throw new SyncReset("the calendar's window has moved on");
            }
            request = GraphMail.relative(http, cursor.substring(bar + 1));
        }
        Upstream.Response r = http.send("GET", request, DELTA, null);
        if (GraphMailSync.stale(r, request)) {
            throw new SyncReset("Graph answered " + r.status() + " to the calendar's delta or skip token");
        }
        Map<String, Object> page = http.object(r);
        List<CalendarEvent> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map<String, Object> e : JsonValues.objects(page.get("value"))) {
            if (e.containsKey("@removed")) {
                removed.add(String.valueOf(e.get("id")));
            } else {
                changed.add(GraphEvents.event(e, calendar));
            }
        }
        String next = JsonValues.string(page.get("@odata.nextLink"));
        String delta = JsonValues.string(page.get("@odata.deltaLink"));
        if (next == null && delta == null) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, r.status(), "a delta page with neither nextLink nor deltaLink", null);
        }
        return new SyncPage<>(changed, removed, window + "|" + (next != null ? next : delta), next == null);
    }
}
