package io.switchboard.connector.google.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.mailbox.api.Attendee;
import io.switchboard.core.mailbox.api.BusySlot;
import io.switchboard.core.mailbox.api.CalendarConnector;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarInfo;
import io.switchboard.core.mailbox.api.EventChange;
import io.switchboard.core.mailbox.api.EventPage;
import io.switchboard.core.mailbox.api.EventQuery;
import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.NewEvent;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.osgi.service.component.annotations.Component;

/**
 * The unified calendar over Google Calendar v3 (on the account's {@code www.googleapis.com}
 * base): the calendar list, events of a window with {@code singleEvents=true} (occurrences
 * expanded) by start, an event inserted with {@code conferenceDataVersion=1} and a Meet create
 * request when a meeting is asked for (Google creates it asynchronously: an answer still
 * {@code pending} is read once more for its link), and {@code freeBusy} of the primary calendar.
 * Times are RFC 3339 with their offset and the event's IANA zone; all-day events are dates.
 * Changes are a PATCH; an invitation is answered on the account's own attendee entry.
 */
@Component(service = CalendarConnector.class, property = Connector.ID + "=google")
public class GoogleEvents implements CalendarConnector {
    static final String API = "/calendar/v3";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Override
    public List<CalendarInfo> calendars(MailboxHttp http) throws ProviderRefusal, IOException {
        List<CalendarInfo> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> page = http.object(http.send("GET", API + "/users/me/calendarList?maxResults=250"
                    + (token == null ? "" : "&pageToken=" + UrlParts.encode(token)), Map.of(), null));
            for (Map<String, Object> c : JsonValues.objects(page.get("items"))) {
                String role = String.valueOf(c.get("accessRole"));
                out.add(new CalendarInfo(String.valueOf(c.get("id")), JsonValues.string(c.get("summary")), Boolean.TRUE.equals(c.get("primary")),
                        role.equals("owner") || role.equals("writer"), JsonValues.string(c.get("timeZone")), c));
            }
            token = JsonValues.string(page.get("nextPageToken"));
        } while (token != null);
        return out;
    }

    @Override
    public EventPage events(MailboxHttp http, EventQuery query) throws ProviderRefusal, IOException {
        String calendar = query.calendarId() == null ? "primary" : query.calendarId();
        String request = API + "/calendars/" + UrlParts.encode(calendar) + "/events?singleEvents=true&orderBy=startTime&timeMin=" + UrlParts.encode(query.start().toString())
                + "&timeMax=" + UrlParts.encode(query.end().toString()) + "&maxResults=" + query.limit()
                + (query.next() == null ? "" : "&pageToken=" + UrlParts.encode(query.next()));
        Map<String, Object> page = http.object(http.send("GET", request, Map.of(), null));
        String zone = JsonValues.string(page.get("timeZone"));
        List<CalendarEvent> events = new ArrayList<>();
        for (Map<String, Object> e : JsonValues.objects(page.get("items"))) {
            events.add(event(e, calendar, zone));
        }
        return new EventPage(events, JsonValues.string(page.get("nextPageToken")));
    }

    @Override
    public CalendarEvent event(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        return event(http.object(http.send("GET", API + "/calendars/primary/events/" + UrlParts.encode(id), Map.of(), null)), "primary", null);
    }

    @Override
    public CalendarEvent create(MailboxHttp http, NewEvent event) throws ProviderRefusal, IOException {
        String calendar = event.calendarId() == null ? "primary" : event.calendarId();
        Map<String, Object> google = new LinkedHashMap<>();
        google.put("summary", event.subject());
        if (event.body() != null) {
            google.put("description", event.body());
        }
        if (event.location() != null) {
            google.put("location", event.location());
        }
        google.put("start", time(event.start(), event.timeZone(), event.allDay()));
        google.put("end", time(event.end(), event.timeZone(), event.allDay()));
        google.put("attendees", attendees(event.attendees()));
        if (event.onlineMeeting()) {
            google.put("conferenceData", Map.of("createRequest", Map.of("requestId", UUID.randomUUID().toString(),
                    "conferenceSolutionKey", Map.of("type", "hangoutsMeet"))));
        }
        String path = API + "/calendars/" + UrlParts.encode(calendar) + "/events?conferenceDataVersion=1&sendUpdates=all";
        Map<String, Object> created = http.object(http.send("POST", path, JSON, http.write(google)));
        if (event.onlineMeeting() && created.get("hangoutLink") == null) { // the meeting is made asynchronously: read once more
            created = http.object(http.send("GET", API + "/calendars/" + UrlParts.encode(calendar) + "/events/" + UrlParts.encode(String.valueOf(created.get("id"))),
                    Map.of(), null));
        }
        return event(created, calendar, event.timeZone());
    }

    @Override
    public CalendarEvent update(MailboxHttp http, String id, EventChange change) throws ProviderRefusal, IOException {
        Map<String, Object> google = new LinkedHashMap<>();
        if (change.subject() != null) {
            google.put("summary", change.subject());
        }
        if (change.body() != null) {
            google.put("description", change.body());
        }
        if (change.location() != null) {
            google.put("location", change.location());
        }
        if (change.start() != null) {
            google.put("start", time(change.start(), change.timeZone(), false));
            google.put("end", time(change.end(), change.timeZone(), false));
        }
        if (change.attendees() != null) {
            google.put("attendees", attendees(change.attendees()));
        }
        return event(http.object(http.send("PATCH", API + "/calendars/primary/events/" + UrlParts.encode(id) + "?sendUpdates=all", JSON,
                http.write(google))), "primary", change.timeZone());
    }

    /**
     * Google has no answer call: the account's own attendee entry ({@code self}) gets the
     * {@code responseStatus} and comment, and the event is patched with the attendees, telling the organizer.
     */
    @Override
    public void respond(MailboxHttp http, String id, String response, String comment) throws ProviderRefusal, IOException {
        String path = API + "/calendars/primary/events/" + UrlParts.encode(id);
        Map<String, Object> event = http.object(http.send("GET", path, Map.of(), null));
        List<Map<String, Object>> attendees = new ArrayList<>();
        boolean invited = false;
        for (Map<String, Object> a : JsonValues.objects(event.get("attendees"))) {
            Map<String, Object> attendee = new LinkedHashMap<>(a);
            if (Boolean.TRUE.equals(a.get("self"))) {
                invited = true;
                attendee.put("responseStatus", response);
                if (comment != null) {
                    attendee.put("comment", comment);
                }
            }
            attendees.add(attendee);
        }
        if (!invited) {
            throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 0, "the account is not among the event's attendees", null);
        }
        http.object(http.send("PATCH", path + "?sendUpdates=all", JSON, http.write(Map.of("attendees", attendees))));
    }

    private static List<Map<String, Object>> attendees(List<MailAddress> addresses) {
        return addresses.stream().map(a -> a.name() == null ? Map.<String, Object>of("email", a.address())
                : Map.<String, Object>of("email", a.address(), "displayName", a.name())).toList();
    }

    @Override
    public void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("DELETE", API + "/calendars/primary/events/" + UrlParts.encode(id) + "?sendUpdates=all", Map.of(), null));
    }

    @Override
    public List<BusySlot> busy(MailboxHttp http, Instant start, Instant end) throws ProviderRefusal, IOException {
        Map<String, Object> answer = http.object(http.send("POST", API + "/freeBusy", JSON, http.write(Map.of("timeMin", start.toString(),
                "timeMax", end.toString(), "items", List.of(Map.of("id", "primary"))))));
        List<BusySlot> out = new ArrayList<>();
        if (answer.get("calendars") instanceof Map<?, ?> calendars && calendars.get("primary") instanceof Map<?, ?> primary) {
            List<Map<String, Object>> errors = JsonValues.objects(primary.get("errors"));
            if (!errors.isEmpty()) {
                throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 200, "freeBusy: " + errors.get(0).get("reason"), null);
            }
            for (Map<String, Object> slot : JsonValues.objects(primary.get("busy"))) {
                out.add(new BusySlot(OffsetDateTime.parse(String.valueOf(slot.get("start"))).toInstant(),
                        OffsetDateTime.parse(String.valueOf(slot.get("end"))).toInstant(), "busy"));
            }
        }
        return out;
    }

    private static Map<String, Object> time(OffsetDateTime at, String zone, boolean allDay) {
        ZoneId id = zone(zone);
        if (allDay) {
            return Map.of("date", at.atZoneSameInstant(id).toLocalDate().toString(), "timeZone", id.getId());
        }
        return id instanceof ZoneOffset ? Map.of("dateTime", at.toString()) : Map.of("dateTime", at.atZoneSameInstant(id).toOffsetDateTime().toString(),
                "timeZone", id.getId());
    }

    /** A Google event in the unified shape. */
    static CalendarEvent event(Map<String, Object> e, String calendar, String defaultZone) {
        Map<?, ?> start = e.get("start") instanceof Map<?, ?> s ? s : Map.of();
        Map<?, ?> end = e.get("end") instanceof Map<?, ?> x ? x : Map.of();
        ZoneId zone = zone(start.get("timeZone") != null ? String.valueOf(start.get("timeZone")) : defaultZone);
        List<Attendee> attendees = new ArrayList<>();
        for (Map<String, Object> a : JsonValues.objects(e.get("attendees"))) {
            if (a.get("email") instanceof String email) {
                String response = String.valueOf(a.get("responseStatus"));
                attendees.add(new Attendee(new MailAddress(JsonValues.string(a.get("displayName")), email),
                        Boolean.TRUE.equals(a.get("resource")) ? "resource" : Boolean.TRUE.equals(a.get("optional")) ? "optional" : "required",
                        switch (response) {
                            case "accepted" -> "accepted";
                            case "tentative" -> "tentative";
                            case "declined" -> "declined";
                            default -> "none";
                        }));
            }
        }
        Map<?, ?> organizer = e.get("organizer") instanceof Map<?, ?> o ? o : Map.of();
        String meet = JsonValues.string(e.get("hangoutLink"));
        if (meet == null && e.get("conferenceData") instanceof Map<?, ?> conference) {
            meet = JsonValues.objects(conference.get("entryPoints")).stream().filter(p -> "video".equals(p.get("entryPointType")))
                    .map(p -> JsonValues.string(p.get("uri"))).findFirst().orElse(null);
        }
        return new CalendarEvent(String.valueOf(e.get("id")), calendar, JsonValues.string(e.get("summary")), JsonValues.string(e.get("description")),
                at(start, zone), at(end, zone), zone.getId(), start.get("date") != null, JsonValues.string(e.get("location")),
                organizer.get("email") instanceof String email ? new MailAddress(JsonValues.string(organizer.get("displayName")), email) : null,
                attendees, JsonValues.string(e.get("status")), "transparent".equals(e.get("transparency")) ? "free" : "busy", meet,
                JsonValues.string(e.get("recurringEventId")), e);
    }

    private static OffsetDateTime at(Map<?, ?> time, ZoneId zone) {
        if (time.get("date") != null) {
            return LocalDate.parse(String.valueOf(time.get("date"))).atStartOfDay(zone).toOffsetDateTime();
        }
        return time.get("dateTime") == null ? null : OffsetDateTime.parse(String.valueOf(time.get("dateTime"))).atZoneSameInstant(zone)
                .toOffsetDateTime();
    }

    private static ZoneId zone(String name) {
        try {
            return name == null ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

}
