package io.switchboard.testkit.calendar;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Google Calendar v3 on a {@link FakeGmail} ({@code new FakeGoogleCalendar(gmail)}), beside Gmail on one host as at
 * {@code www.googleapis.com}): the calendar list (the primary calendar, id = the address,
 * {@code primary} accepted), events in a window ({@code orderBy=startTime} only with
 * {@code singleEvents=true}; 250 to a page, {@code nextPageToken}), one event, an event inserted
 * (200, not 201; a Meet conference only with {@code conferenceDataVersion=1}, its create request
 * {@code pending} in the insert's answer and {@code success} with a {@code hangoutLink} after),
 * deleted (204; a deleted event is 410 after), patched (the members given replace the event's;
 * an attendee answers on their own {@code self} entry), {@code freeBusy} keyed by calendar id, and
 * sync tokens ({@link GoogleCalendarTokens}: a listing's last page carries one).
 */
public final class FakeGoogleCalendar {
    private final Map<String, List<Map<String, Object>>> events = new ConcurrentHashMap<>();
    private final GoogleCalendarTokens tokens = new GoogleCalendarTokens();

    /** Serves Google Calendar to the users of this Gmail's OAuth fake. */
    public FakeGoogleCalendar(FakeGmail gmail) {
        gmail.extend("/calendar/v3/", this::handle);
    }

    /** Google forgets the user's calendar sync tokens: their next use is 410 {@code fullSyncRequired}. */
    public void forgetSyncTokens(String subject) {
        tokens.forget(subject);
    }

    static String eventId() {
        StringBuilder id = new StringBuilder();
        String base32hex = "0123456789abcdefghijklmnopqrstuv";
        for (int i = 0; i < 26; i++) {
            id.append(base32hex.charAt(ThreadLocalRandom.current().nextInt(32)));
        }
        return id.toString();
    }

    /** A user's Google Calendar events as Google holds them ({@code id}, {@code summary}, {@code start}, {@code conferenceData}, ...). */
    public List<Map<String, Object>> events(String subject) {
        List<Map<String, Object>> list = events.computeIfAbsent(subject, s -> new ArrayList<>());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private FakeResponse handle(FakeRequest req, String subject) {
        List<String> s = new ArrayList<>();
        for (String part : req.path().substring("/calendar/v3/".length()).split("/")) {
            s.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        String address = FakeGmail.address(subject);
        List<Map<String, Object>> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            String m = req.method();
            if (m.equals("GET") && s.equals(List.of("users", "me", "calendarList"))) {
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("kind", "calendar#calendarList", "items", List.of(Map.of("kind",
                        "calendar#calendarListEntry", "id", address, "summary", address, "timeZone", "Europe/Berlin", "primary", true,
                        "accessRole", "owner")))));
            }
            if (m.equals("POST") && s.equals(List.of("freeBusy"))) {
                return freeBusy(req, list, address);
            }
            if (s.size() < 3 || !s.get(0).equals("calendars") || !s.get(2).equals("events")
                    || !(s.get(1).equals("primary") || s.get(1).equals(address))) {
                return FakeGmail.error(404, "NOT_FOUND", "Not Found", "notFound", "Not Found");
            }
            if (m.equals("GET") && s.size() == 3) {
                return req.queryParams().containsKey("syncToken") ? tokens.changes(req, subject, list) : list(req, subject, list);
            }
            if (m.equals("POST") && s.size() == 3) {
                return insert(req, list, address);
            }
            Map<String, Object> event = s.size() == 4 ? list.stream().filter(e -> e.get("id").equals(s.get(3))).findFirst().orElse(null) : null;
            if (event == null) {
                return FakeGmail.error(404, "NOT_FOUND", "Not Found", "notFound", "Not Found");
            }
            if ("cancelled".equals(event.get("status"))) {
                return FakeGmail.error(410, "GONE", "Resource has been deleted", "deleted", "Resource has been deleted");
            }
            if (m.equals("GET")) {
                if (event.get("conferenceData") instanceof Map<?, ?> conference && conference.get("createRequest") instanceof Map<?, ?> request) {
                    String meet = "https://meet.google.com/" + eventId().substring(0, 3) + "-" + eventId().substring(0, 4) + "-" + eventId().substring(0, 3);
                    event.put("conferenceData", Map.of("createRequest", Map.of("requestId", request.get("requestId"), "status",
                            Map.of("statusCode", "success")), "entryPoints", List.of(Map.of("entryPointType", "video", "uri", meet)),
                            "conferenceSolution", Map.of("key", Map.of("type", "hangoutsMeet"), "name", "Google Meet")));
                    event.put("hangoutLink", meet);
                }
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(event));
            }
            if (m.equals("DELETE")) {
                event.put("status", "cancelled");
                return FakeResponse.empty(204);
            }
            if (m.equals("PATCH")) {
                Map<String, Object> change = req.jsonObject();
                if (change == null) {
                    return FakeGmail.error(400, "INVALID_ARGUMENT", "Bad Request", "badRequest", "Bad Request");
                }
                change.keySet().removeAll(List.of("id", "kind", "organizer", "creator", "iCalUID", "status"));
                event.putAll(change);
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(event));
            }
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Bad Request", "badRequest", "Bad Request");
        }
    }

    /** The user deletes an event in their own client: it stays, {@code cancelled}, as Google keeps it for syncs. */
    public void cancelEvent(String subject, String id) {
        List<Map<String, Object>> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            list.stream().filter(e -> e.get("id").equals(id)).findFirst().orElseThrow().put("status", "cancelled");
        }
    }

    /** The user renames an event in their own client. */
    public void renameEvent(String subject, String id, String title) {
        List<Map<String, Object>> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            list.stream().filter(e -> e.get("id").equals(id)).findFirst().orElseThrow().put("summary", title);
        }
    }

    /** An invitation from {@code organizer} in the user's primary calendar (a test's seed), not yet answered; returns its id. */
    public String invite(String subject, String organizer, String title, Instant start, Instant end) {
        List<Map<String, Object>> list = events.computeIfAbsent(subject, x -> new ArrayList<>());
        synchronized (list) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("kind", "calendar#event");
            event.put("id", eventId());
            event.put("status", "confirmed");
            event.put("summary", title);
            event.put("organizer", Map.of("email", organizer));
            event.put("start", Map.of("dateTime", start.toString(), "timeZone", "UTC"));
            event.put("end", Map.of("dateTime", end.toString(), "timeZone", "UTC"));
            event.put("attendees", List.of(Map.of("email", organizer, "organizer", true, "responseStatus", "accepted"),
                    Map.of("email", FakeGmail.address(subject), "self", true, "responseStatus", "needsAction")));
            list.add(event);
            return String.valueOf(event.get("id"));
        }
    }

    private FakeResponse list(FakeRequest req, String subject, List<Map<String, Object>> list) {
        Map<String, String> q = req.queryParams();
        if ("startTime".equals(q.get("orderBy")) && !"true".equals(q.get("singleEvents"))) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "The requested ordering is not available for the particular query.", "invalid",
                    "The requested ordering is not available for the particular query.");
        }
        Instant from = q.containsKey("timeMin") ? OffsetDateTime.parse(q.get("timeMin")).toInstant() : Instant.MIN;
        Instant to = q.containsKey("timeMax") ? OffsetDateTime.parse(q.get("timeMax")).toInstant() : Instant.MAX;
        int max = q.containsKey("maxResults") ? Math.min(2500, Integer.parseInt(q.get("maxResults"))) : 250;
        List<Map<String, Object>> found = list.stream().filter(e -> !"cancelled".equals(e.get("status")))
                .filter(e -> start(e).isBefore(to) && end(e).isAfter(from)).sorted(Comparator.comparing(FakeGoogleCalendar::start)).toList();
        String[] position = q.containsKey("pageToken") ? new String(Base64.getUrlDecoder().decode(q.get("pageToken")), StandardCharsets.UTF_8)
                .split(":") : new String[] {"0", tokens.begin(list)};
        int offset = Integer.parseInt(position[0]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "calendar#events");
        out.put("timeZone", "Europe/Berlin");
        out.put("items", found.subList(Math.min(offset, found.size()), Math.min(offset + max, found.size())));
        if (offset + max < found.size()) {
            out.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString((offset + max + ":" + position[1])
                    .getBytes(StandardCharsets.UTF_8)));
        } else {
            out.put("nextSyncToken", tokens.end(subject, position[1]));
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(out));
    }

    private FakeResponse insert(FakeRequest req, List<Map<String, Object>> list, String address) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || !(body.get("start") instanceof Map<?, ?>) || !(body.get("end") instanceof Map<?, ?>)) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Missing end time.", "required", "Missing end time.");
        }
        Map<String, Object> event = new LinkedHashMap<>(body);
        event.put("kind", "calendar#event");
        event.put("id", eventId());
        event.put("status", "confirmed");
        event.put("htmlLink", "https://www.google.com/calendar/event?eid=" + event.get("id"));
        event.put("created", Instant.now().toString());
        event.put("creator", Map.of("email", address, "self", true));
        event.put("organizer", Map.of("email", address, "self", true));
        event.put("iCalUID", event.get("id") + "@google.com");
        if (body.get("attendees") instanceof List<?> attendees) {
            event.put("attendees", attendees.stream().map(a -> {
                Map<String, Object> attendee = new LinkedHashMap<>((Map<String, Object>) a);
                attendee.put("responseStatus", "needsAction");
                return attendee;
            }).toList());
        }
        if ("1".equals(req.queryParams().get("conferenceDataVersion")) && body.get("conferenceData") instanceof Map<?, ?> conference
                && conference.get("createRequest") instanceof Map<?, ?> request) {
            event.put("conferenceData", Map.of("createRequest", Map.of("requestId", request.get("requestId"), "conferenceSolutionKey",
                    Map.of("type", "hangoutsMeet"), "status", Map.of("statusCode", "pending"))));
        } else {
            event.remove("conferenceData");
        }
        list.add(event);
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(event));
    }

    private FakeResponse freeBusy(FakeRequest req, List<Map<String, Object>> list, String address) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || body.get("timeMin") == null || body.get("timeMax") == null || !(body.get("items") instanceof List<?> items)) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Missing timeMin", "required", "Missing timeMin");
        }
        Instant from = OffsetDateTime.parse(String.valueOf(body.get("timeMin"))).toInstant();
        Instant to = OffsetDateTime.parse(String.valueOf(body.get("timeMax"))).toInstant();
        Map<String, Object> calendars = new LinkedHashMap<>();
        for (Object item : items) {
            String id = String.valueOf(((Map<?, ?>) item).get("id"));
            if (id.equals("primary") || id.equals(address)) {
                calendars.put(id, Map.of("busy", list.stream().filter(e -> !"cancelled".equals(e.get("status")) && !"transparent".equals(e.get("transparency")))
                        .filter(e -> start(e).isBefore(to) && end(e).isAfter(from)).sorted(Comparator.comparing(FakeGoogleCalendar::start))
                        .map(e -> Map.of("start", start(e).toString(), "end", end(e).toString())).toList()));
            } else {
                calendars.put(id, Map.of("errors", List.of(Map.of("domain", "global", "reason", "notFound")), "busy", List.of()));
            }
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("kind", "calendar#freeBusy", "timeMin", from.toString(), "timeMax", to.toString(),
                "calendars", calendars)));
    }

    private static Instant start(Map<String, Object> e) {
        return at((Map<?, ?>) e.get("start"));
    }

    private static Instant end(Map<String, Object> e) {
        return at((Map<?, ?>) e.get("end"));
    }

    private static Instant at(Map<?, ?> time) {
        if (time.get("date") != null) {
            ZoneId zone = ZoneId.of(String.valueOf(time.get("timeZone") == null ? "Europe/Berlin" : time.get("timeZone")));
            return LocalDate.parse(String.valueOf(time.get("date"))).atStartOfDay(zone).toInstant();
        }
        return OffsetDateTime.parse(String.valueOf(time.get("dateTime"))).toInstant();
    }
}
