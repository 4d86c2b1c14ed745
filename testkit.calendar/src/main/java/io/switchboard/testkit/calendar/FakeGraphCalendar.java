package io.switchboard.testkit.calendar;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.mailbox.DeltaCollection;
import io.switchboard.testkit.mailbox.FakeGraph;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Microsoft Graph's calendar routes on a {@link FakeGraph} ({@code new FakeGraphCalendar(graph)}), as Graph v1.0 answers them: the user's calendars (one
 * default), {@code calendarView} (the window's {@code startDateTime} and {@code endDateTime}
 * required, 10 to a page with an absolute nextLink), one event, an event created (201; a Teams
 * meeting with a {@code joinUrl} when {@code isOnlineMeeting} and {@code teamsForBusiness}),
 * deleted (204), changed (PATCH), answered ({@code accept}, {@code tentativelyAccept},
 * {@code decline}: 202, and 400 for the organizer's own meeting), and
 * {@code calendar/getSchedule} for the user's own address. Times are written
 * as Graph writes them: {@code {"dateTime":"2026-12-01T10:00:00.0000000","timeZone":"UTC"}}, in
 * UTC (Graph's default without {@code Prefer: outlook.timezone}); a created event's zone may be a
 * Windows name or an IANA one, kept as {@code originalStartTimeZone}.
 */
public final class FakeGraphCalendar implements FakeGraph.Extension {
    /** The Windows zone names this fake knows (Graph knows them all). */
    private static final Map<String, String> WINDOWS = Map.of("UTC", "UTC", "W. Europe Standard Time", "Europe/Berlin",
            "Pacific Standard Time", "America/Los_Angeles", "Eastern Standard Time", "America/New_York", "GMT Standard Time", "Europe/London",
            "Tokyo Standard Time", "Asia/Tokyo");
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.0000000'");

    static final class Event {
        final String id = "AAMkAGEvt" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "AAA=";
        final Map<String, Object> json = new LinkedHashMap<>();
        Instant start;
        Instant end;
    }

    private final FakeGraph graph;
    private final Map<String, List<Event>> events = new java.util.concurrent.ConcurrentHashMap<>();

    /** Serves the calendar routes of this Graph's users. */
    public FakeGraphCalendar(FakeGraph graph) {
        this.graph = graph;
        graph.extend(this);
    }

    @Override
    public boolean handles(String firstSegment) {
        return List.of("calendars", "calendar", "calendarView", "events").contains(firstSegment);
    }

    static String calendarId(String subject) {
        return "AAMkAGCal" + UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "") + "AAA=";
    }

    /**
     * A user's events as Graph holds them: {@code id}, {@code subject}, {@code start} and
     * {@code end} ({@code dateTime} in UTC), {@code originalStartTimeZone}, {@code attendees},
     * {@code isOnlineMeeting}, {@code onlineMeeting} ({@code joinUrl}), {@code showAs}, ...
     */
    public List<Map<String, Object>> events(String subject) {
        List<Event> list = events.computeIfAbsent(subject, s -> new ArrayList<>());
        synchronized (list) {
            return list.stream().map(e -> json(e)).toList();
        }
    }

    @Override
    public FakeResponse handle(FakeRequest req, String subject, List<String> s) {
        List<Event> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            String m = req.method();
            String calendar = calendarId(subject);
            if (m.equals("GET") && s.equals(List.of("calendars"))) {
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("value", List.of(Map.of("id", calendar, "name", "Calendar", "color", "auto",
                        "isDefaultCalendar", true, "canEdit", true, "owner", Map.of("name", subject, "address", FakeGraph.userPrincipalName(subject)))))));
            }
            if (s.size() >= 2 && s.get(0).equals("calendars") && !s.get(1).equals(calendar)) {
                return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            List<String> rest = s.get(0).equals("calendars") && s.size() > 2 ? s.subList(2, s.size()) : s;
            if (m.equals("GET") && rest.equals(List.of("calendarView"))) {
                return view(req, list);
            }
            if (m.equals("GET") && rest.equals(List.of("calendarView", "delta"))) {
                return delta(req, subject, calendar, list);
            }
            if (m.equals("POST") && rest.equals(List.of("events"))) {
                return create(req, list, subject, calendar);
            }
            if (m.equals("POST") && s.equals(List.of("calendar", "getSchedule"))) {
                return schedule(req, list, subject);
            }
            if (s.size() == 2 && s.get(0).equals("events")) {
                Event e = list.stream().filter(x -> x.id.equals(s.get(1))).findFirst().orElse(null);
                if (e == null) {
                    return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }
                if (m.equals("GET")) {
                    return FakeResponse.json(200, JSONObjectUtils.toJSONString(json(e)));
                }
                if (m.equals("DELETE")) {
                    list.remove(e);
                    return FakeResponse.empty(204);
                }
                if (m.equals("PATCH")) {
                    return update(req, e);
                }
            }
            if (m.equals("POST") && s.size() == 3 && s.get(0).equals("events")
                    && List.of("accept", "tentativelyAccept", "decline").contains(s.get(2))) {
                Event e = list.stream().filter(x -> x.id.equals(s.get(1))).findFirst().orElse(null);
                if (e == null) {
                    return FakeGraph.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }
                if (Boolean.TRUE.equals(e.json.get("isOrganizer"))) {
                    return FakeGraph.error(400, "ErrorInvalidRequest",
                            "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.");
                }
                String response = switch (s.get(2)) {
                    case "accept" -> "accepted";
                    case "tentativelyAccept" -> "tentativelyAccepted";
                    default -> "declined";
                };
                e.json.put("responseStatus", Map.of("response", response, "time", Instant.now().toString()));
                return FakeResponse.empty(202);
            }
            return FakeGraph.error(400, "BadRequest", "Resource not found for the segment '" + s.get(0) + "'.");
        }
    }

    /** The calendar's event delta over the first request's window (the caller holds the list's lock). */
    private FakeResponse delta(FakeRequest req, String subject, String calendar, List<Event> list) {
        Map<String, String> q = req.queryParams();
        if (!q.containsKey("$skiptoken") && !q.containsKey("$deltatoken") && (q.get("startDateTime") == null || q.get("endDateTime") == null)) {
            return FakeGraph.error(400, "ErrorInvalidParameter",
                    "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }
        return graph.delta(req, subject, "calendarView/" + calendar, graph.baseUri() + "/v1.0/me/calendars/" + calendar
                + "/calendarView/delta", new DeltaCollection() {
                    @Override
                    public Map<String, String[]> now(Map<String, String> params) {
                        Instant from = parse(params.get("startDateTime"));
                        Instant to = parse(params.get("endDateTime"));
                        Map<String, String[]> items = new LinkedHashMap<>();
                        list.stream().filter(e -> e.start.isBefore(to) && e.end.isAfter(from))
                                .forEach(e -> items.put(e.id, new String[] {e.id, JSONObjectUtils.toJSONString(json(e))}));
                        return items;
                    }

                    @Override
                    public Map<String, Object> item(String id) {
                        return list.stream().filter(e -> e.id.equals(id)).findFirst().map(FakeGraphCalendar.this::json).orElse(null);
                    }
                });
    }

    /** The user deletes an event in their own client (a test's change); returns whether there was one. */
    public boolean deleteEvent(String subject, String id) {
        List<Event> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            return list.removeIf(e -> e.id.equals(id));
        }
    }

    /** The user renames an event in their own client (a test's change). */
    public void renameEvent(String subject, String id, String title) {
        List<Event> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            list.stream().filter(e -> e.id.equals(id)).findFirst().orElseThrow().json.put("subject", title);
        }
    }

    private FakeResponse view(FakeRequest req, List<Event> list) {
        Map<String, String> q = req.queryParams();
        if (q.get("startDateTime") == null || q.get("endDateTime") == null) {
            return FakeGraph.error(400, "ErrorInvalidParameter",
                    "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }
        Instant from = parse(q.get("startDateTime"));
        Instant to = parse(q.get("endDateTime"));
        List<Map<String, Object>> items = list.stream().filter(e -> e.start.isBefore(to) && e.end.isAfter(from))
                .sorted(Comparator.comparing((Event e) -> e.start)).map(this::json).toList();
        return graph.page(req, items);
    }

    private static Instant parse(String value) {
        return value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$") ? java.time.OffsetDateTime.parse(value).toInstant()
                : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    }

    @SuppressWarnings("unchecked")
    private FakeResponse create(FakeRequest req, List<Event> list, String subject, String calendar) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || !(body.get("start") instanceof Map<?, ?> start) || !(body.get("end") instanceof Map<?, ?> end)) {
            return FakeGraph.error(400, "ErrorInvalidRequest", "Your request can't be completed. The start and end are required.");
        }
        Event e = new Event();
        try {
            e.start = local(start);
            e.end = local(end);
        } catch (RuntimeException bad) {
            return FakeGraph.error(400, "TimeZoneNotSupportedException", "A valid TimeZone value must be specified. The following TimeZone value is "
                    + "not supported: '" + start.get("timeZone") + "'.");
        }
        e.json.put("subject", body.get("subject"));
        e.json.put("body", body.getOrDefault("body", Map.of("contentType", "html", "content", "")));
        e.json.put("originalStartTimeZone", start.get("timeZone"));
        e.json.put("isAllDay", Boolean.TRUE.equals(body.get("isAllDay")));
        e.json.put("location", body.getOrDefault("location", Map.of("displayName", "")));
        e.json.put("organizer", Map.of("emailAddress", Map.of("name", subject, "address", FakeGraph.userPrincipalName(subject))));
        e.json.put("isOrganizer", true);
        e.json.put("responseStatus", Map.of("response", "organizer", "time", "0001-01-01T00:00:00Z"));
        List<Map<String, Object>> attendees = new ArrayList<>();
        if (body.get("attendees") instanceof List<?> given) {
            for (Object a : given) {
                Map<String, Object> attendee = new LinkedHashMap<>((Map<String, Object>) a);
                attendee.putIfAbsent("type", "required");
                attendee.put("status", Map.of("response", "none", "time", "0001-01-01T00:00:00Z"));
                attendees.add(attendee);
            }
        }
        e.json.put("attendees", attendees);
        boolean online = Boolean.TRUE.equals(body.get("isOnlineMeeting")) && "teamsForBusiness".equals(body.get("onlineMeetingProvider"));
        e.json.put("isOnlineMeeting", online);
        e.json.put("onlineMeetingProvider", online ? "teamsForBusiness" : "unknown");
        e.json.put("onlineMeeting", online ? Map.of("joinUrl", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "%40thread.v2/0") : null);
        e.json.put("showAs", body.getOrDefault("showAs", "busy"));
        e.json.put("isCancelled", false);
        e.json.put("type", "singleInstance");
        list.add(e);
        return FakeResponse.json(201, JSONObjectUtils.toJSONString(json(e)));
    }

    /** A PATCH: the members given replace the event's (start and end read in their zone). */
    @SuppressWarnings("unchecked")
    private FakeResponse update(FakeRequest req, Event e) {
        Map<String, Object> body = req.jsonObject();
        if (body == null) {
            return FakeGraph.error(400, "RequestBodyRead", "Cannot read the request body.");
        }
        for (String member : List.of("subject", "body", "location", "attendees")) {
            if (body.containsKey(member)) {
                e.json.put(member, body.get(member));
            }
        }
        if (body.get("start") instanceof Map<?, ?> start && body.get("end") instanceof Map<?, ?> end) {
            e.start = local(start);
            e.end = local(end);
            e.json.put("originalStartTimeZone", start.get("timeZone"));
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(json(e)));
    }

    /** An invitation from {@code organizer} in the user's calendar (a test's seed); returns its id. */
    public String invite(String subject, String organizer, String title, Instant start, Instant end) {
        List<Event> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            Event e = new Event();
            e.start = start;
            e.end = end;
            e.json.put("subject", title);
            e.json.put("originalStartTimeZone", "UTC");
            e.json.put("isOrganizer", false);
            e.json.put("organizer", Map.of("emailAddress", Map.of("name", organizer, "address", organizer)));
            e.json.put("attendees", List.of(Map.of("type", "required", "status", Map.of("response", "none"),
                    "emailAddress", Map.of("name", subject, "address", FakeGraph.userPrincipalName(subject)))));
            e.json.put("responseStatus", Map.of("response", "notResponded", "time", "0001-01-01T00:00:00Z"));
            e.json.put("showAs", "tentative");
            list.add(e);
            return e.id;
        }
    }

    /** A {@code dateTimeTimeZone} read in its zone (a Windows name this fake knows, or an IANA one). */
    private static Instant local(Map<?, ?> at) {
        String zone = String.valueOf(at.get("timeZone"));
        ZoneId id = ZoneId.of(WINDOWS.getOrDefault(zone, zone));
        return LocalDateTime.parse(String.valueOf(at.get("dateTime")).replaceAll("\\.\\d+$", "")).atZone(id).toInstant();
    }

    private FakeResponse schedule(FakeRequest req, List<Event> list, String subject) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || !(body.get("schedules") instanceof List<?> schedules) || !(body.get("startTime") instanceof Map<?, ?> start)
                || !(body.get("endTime") instanceof Map<?, ?> end)) {
            return FakeGraph.error(400, "ErrorInvalidRequest", "schedules, startTime and endTime are required");
        }
        Instant from = local(start);
        Instant to = local(end);
        List<Map<String, Object>> value = new ArrayList<>();
        for (Object id : schedules) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("scheduleId", id);
            if (!FakeGraph.userPrincipalName(subject).equalsIgnoreCase(String.valueOf(id))) {
                item.put("error", Map.of("message", "The mailbox could not be found", "responseCode", "ErrorMailRecipientNotFound"));
            } else {
                item.put("scheduleItems", list.stream().filter(e -> e.start.isBefore(to) && e.end.isAfter(from) && !"free".equals(e.json.get("showAs")))
                        .sorted(Comparator.comparing((Event e) -> e.start)).map(e -> Map.of("isPrivate", false, "status", e.json.get("showAs"),
                                "subject", String.valueOf(e.json.get("subject")), "start", time(e.start), "end", time(e.end))).toList());
            }
            value.add(item);
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("value", value)));
    }

    private Map<String, Object> json(Event e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id);
        out.putAll(e.json);
        out.put("start", time(e.start));
        out.put("end", time(e.end));
        return out;
    }

    private static Map<String, Object> time(Instant at) {
        return Map.of("dateTime", GRAPH_TIME.format(at.atZone(ZoneOffset.UTC)), "timeZone", "UTC");
    }
}
