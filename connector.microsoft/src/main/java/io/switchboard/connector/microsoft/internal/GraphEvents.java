package io.switchboard.connector.microsoft.internal;

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
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.NewEvent;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified calendar over Microsoft Graph v1.0. Reads ask for UTC ({@code Prefer:
 * outlook.timezone="UTC"}) and immutable ids, and each event is written in its own zone
 * ({@code originalStartTimeZone}, a Windows name converted to IANA by {@link WindowsZones}).
 * Lists are {@code calendarView} (occurrences expanded) ordered by start; a new event is written in
 * its zone's Windows name (UTC when Graph has none for it), with a Teams meeting
 * ({@code isOnlineMeeting}, {@code teamsForBusiness}) on request; busy times are
 * {@code getSchedule} of the account's own address. Changes are a PATCH; an invitation is
 * answered with {@code accept}, {@code tentativelyAccept} or {@code decline}.
 */
@Component(service = CalendarConnector.class, property = Connector.ID + "=microsoft")
public class GraphEvents implements CalendarConnector {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    static final Map<String, String> UTC = Map.of("Prefer", "outlook.timezone=\"UTC\", IdType=\"ImmutableId\"");

    @Override
    public List<CalendarInfo> calendars(MailboxHttp http) throws ProviderRefusal, IOException {
        List<CalendarInfo> out = new ArrayList<>();
        String next = "/v1.0/me/calendars?$top=100";
        while (next != null) {
            Map<String, Object> page = http.object(http.send("GET", GraphMail.relative(http, next), UTC, null));
            for (Map<String, Object> c : JsonValues.objects(page.get("value"))) {
                out.add(new CalendarInfo(String.valueOf(c.get("id")), JsonValues.string(c.get("name")), Boolean.TRUE.equals(c.get("isDefaultCalendar")),
                        Boolean.TRUE.equals(c.get("canEdit")), null, c));
            }
            next = JsonValues.string(page.get("@odata.nextLink"));
        }
        return out;
    }

    @Override
    public EventPage events(MailboxHttp http, EventQuery query) throws ProviderRefusal, IOException {
        String request = query.next();
        if (request == null) {
            request = (query.calendarId() == null ? "/v1.0/me/calendarView" : "/v1.0/me/calendars/" + UrlParts.encode(query.calendarId()) + "/calendarView")
                    + "?startDateTime=" + query.start() + "&endDateTime=" + query.end() + "&$top=" + query.limit() + "&$orderby="
                    + UrlParts.encode("start/dateTime");
        }
        Map<String, Object> page = http.object(http.send("GET", GraphMail.relative(http, request), UTC, null));
        List<CalendarEvent> events = new ArrayList<>();
        for (Map<String, Object> e : JsonValues.objects(page.get("value"))) {
            events.add(event(e, query.calendarId()));
        }
        return new EventPage(events, JsonValues.string(page.get("@odata.nextLink")));
    }

    @Override
    public CalendarEvent event(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        return event(http.object(http.send("GET", "/v1.0/me/events/" + UrlParts.encode(id), UTC, null)), null);
    }

    @Override
    public CalendarEvent create(MailboxHttp http, NewEvent event) throws ProviderRefusal, IOException {
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("subject", event.subject());
        graph.put("body", Map.of("contentType", "HTML", "content", event.body() == null ? "" : event.body()));
        times(graph, event.start(), event.end(), event.timeZone());
        graph.put("isAllDay", event.allDay());
        if (event.location() != null) {
            graph.put("location", Map.of("displayName", event.location()));
        }
        graph.put("attendees", attendees(event.attendees()));
        if (event.onlineMeeting()) {
            graph.put("isOnlineMeeting", true);
            graph.put("onlineMeetingProvider", "teamsForBusiness");
        }
        String path = event.calendarId() == null ? "/v1.0/me/events" : "/v1.0/me/calendars/" + UrlParts.encode(event.calendarId()) + "/events";
        return event(http.object(http.send("POST", path, jsonHeaders(), http.write(graph))), event.calendarId());
    }

    @Override
    public CalendarEvent update(MailboxHttp http, String id, EventChange change) throws ProviderRefusal, IOException {
        Map<String, Object> graph = new LinkedHashMap<>();
        if (change.subject() != null) {
            graph.put("subject", change.subject());
        }
        if (change.body() != null) {
            graph.put("body", Map.of("contentType", "HTML", "content", change.body()));
        }
        if (change.start() != null) {
            times(graph, change.start(), change.end(), change.timeZone());
        }
        if (change.location() != null) {
            graph.put("location", Map.of("displayName", change.location()));
        }
        if (change.attendees() != null) {
            graph.put("attendees", attendees(change.attendees()));
        }
        return event(http.object(http.send("PATCH", "/v1.0/me/events/" + UrlParts.encode(id), jsonHeaders(), http.write(graph))), null);
    }

    /** Graph's answers to an invitation: {@code accept}, {@code tentativelyAccept}, {@code decline} (202), telling the organizer. */
    @Override
    public void respond(MailboxHttp http, String id, String response, String comment) throws ProviderRefusal, IOException {
        String action = switch (response) {
            case "accepted" -> "accept";
            case "tentative" -> "tentativelyAccept";
            default -> "decline";
        };
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sendResponse", true);
        if (comment != null) {
            answer.put("comment", comment);
        }
        http.object(http.send("POST", "/v1.0/me/events/" + UrlParts.encode(id) + "/" + action, jsonHeaders(), http.write(answer)));
    }

    /** Start and end written in the zone's Windows name (UTC where Graph has none for it). */
    private static void times(Map<String, Object> graph, java.time.OffsetDateTime start, java.time.OffsetDateTime end, String timeZone) {
        String windows = WindowsZones.windows(timeZone);
        ZoneId zone = windows == null ? ZoneOffset.UTC : ZoneId.of(timeZone);
        String zoneName = windows == null ? "UTC" : windows;
        graph.put("start", Map.of("dateTime", LOCAL.format(start.atZoneSameInstant(zone)), "timeZone", zoneName));
        graph.put("end", Map.of("dateTime", LOCAL.format(end.atZoneSameInstant(zone)), "timeZone", zoneName));
    }

    private static List<Map<String, Object>> attendees(List<io.switchboard.core.mailbox.api.MailAddress> addresses) {
        return addresses.stream().map(a -> Map.<String, Object>of("emailAddress", a.name() == null ? Map.of("address", a.address())
                : Map.of("address", a.address(), "name", a.name()), "type", "required")).toList();
    }

    private static Map<String, String> jsonHeaders() {
        Map<String, String> headers = new LinkedHashMap<>(UTC);
        headers.put("Content-Type", "application/json");
        return headers;
    }

    @Override
    public void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException {
        http.object(http.send("DELETE", "/v1.0/me/events/" + UrlParts.encode(id), UTC, null));
    }

    @Override
    public List<BusySlot> busy(MailboxHttp http, Instant start, Instant end) throws ProviderRefusal, IOException {
        Map<String, Object> me = http.object(http.send("GET", "/v1.0/me?$select=mail,userPrincipalName", UTC, null));
        String address = me.get("mail") instanceof String mail && !mail.isEmpty() ? mail : JsonValues.string(me.get("userPrincipalName"));
        Map<String, Object> request = Map.of("schedules", List.of(address), "availabilityViewInterval", 15,
                "startTime", Map.of("dateTime", LOCAL.format(start.atZone(ZoneOffset.UTC)), "timeZone", "UTC"),
                "endTime", Map.of("dateTime", LOCAL.format(end.atZone(ZoneOffset.UTC)), "timeZone", "UTC"));
        Map<String, Object> answer = http.object(http.send("POST", "/v1.0/me/calendar/getSchedule", jsonHeaders(), http.write(request)));
        List<BusySlot> out = new ArrayList<>();
        for (Map<String, Object> schedule : JsonValues.objects(answer.get("value"))) {
            if (schedule.get("error") instanceof Map<?, ?> error) {
                throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 200, String.valueOf(error.get("responseCode")) + ": " + error.get("message"), null);
            }
            for (Map<String, Object> item : JsonValues.objects(schedule.get("scheduleItems"))) {
                out.add(new BusySlot(utc(item.get("start")), utc(item.get("end")), String.valueOf(item.getOrDefault("status", "busy"))));
            }
        }
        return out;
    }

    /** A Graph event in the unified shape, in its own zone ({@code calendarId}: where it was read from, when known). */
    static CalendarEvent event(Map<String, Object> e, String calendarId) {
        ZoneId zone = WindowsZones.iana(JsonValues.string(e.get("originalStartTimeZone")));
        List<Attendee> attendees = new ArrayList<>();
        for (Map<String, Object> a : JsonValues.objects(e.get("attendees"))) {
            Map<?, ?> status = a.get("status") instanceof Map<?, ?> s ? s : Map.of();
            String response = String.valueOf(status.get("response"));
            attendees.add(new Attendee(GraphMail.Graph.address(a), JsonValues.string(a.get("type")),
                    switch (response) {
                        case "accepted", "organizer" -> "accepted";
                        case "tentativelyAccepted" -> "tentative";
                        case "declined" -> "declined";
                        default -> "none";
                    }));
        }
        Map<?, ?> body = e.get("body") instanceof Map<?, ?> b ? b : Map.of();
        Map<?, ?> location = e.get("location") instanceof Map<?, ?> l ? l : Map.of();
        Map<?, ?> meeting = e.get("onlineMeeting") instanceof Map<?, ?> m ? m : Map.of();
        String place = JsonValues.string(location.get("displayName"));
        return new CalendarEvent(String.valueOf(e.get("id")), calendarId, JsonValues.string(e.get("subject")),
                JsonValues.string(body.get("content")), utc(e.get("start")).atZone(zone).toOffsetDateTime(),
                utc(e.get("end")).atZone(zone).toOffsetDateTime(), zone.getId(), Boolean.TRUE.equals(e.get("isAllDay")),
                place == null || place.isEmpty() ? null : place, GraphMail.Graph.address(e.get("organizer")), attendees,
                Boolean.TRUE.equals(e.get("isCancelled")) ? "cancelled" : "confirmed", JsonValues.string(e.get("showAs")),
                JsonValues.string(meeting.get("joinUrl")), JsonValues.string(e.get("seriesMasterId")), e);
    }

    /** A {@code dateTimeTimeZone} Graph wrote in UTC (as asked). */
    private static Instant utc(Object dateTimeTimeZone) {
        Map<?, ?> at = dateTimeTimeZone instanceof Map<?, ?> m ? m : Map.of();
        String local = String.valueOf(at.get("dateTime")).replaceAll("\\.\\d+$", "");
        return LocalDateTime.parse(local).atZone(WindowsZones.iana(JsonValues.string(at.get("timeZone")))).toInstant();
    }

}
