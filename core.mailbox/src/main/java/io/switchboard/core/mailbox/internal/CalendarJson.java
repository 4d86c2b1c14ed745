package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.mailbox.api.BusySlot;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarInfo;
import io.switchboard.core.mailbox.api.EventChange;
import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.NewEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calendars, events and busy times as the API writes them, and a new event as it reads one. */
final class CalendarJson {
    private CalendarJson() {
    }

    static Map<String, Object> calendar(CalendarInfo c, boolean remote) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("name", c.name());
        out.put("primary", c.primary());
        out.put("canEdit", c.canEdit());
        out.put("timeZone", c.timeZone());
        if (remote) {
            out.put("remote", c.remote());
        }
        return out;
    }

    static Map<String, Object> event(CalendarEvent e, boolean remote) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("calendarId", e.calendarId());
        out.put("subject", e.subject());
        out.put("body", e.body());
        out.put("start", e.start() == null ? null : e.start().toString());
        out.put("end", e.end() == null ? null : e.end().toString());
        out.put("timeZone", e.timeZone());
        out.put("allDay", e.allDay());
        out.put("location", e.location());
        out.put("organizer", MailJson.address(e.organizer()));
        out.put("attendees", e.attendees().stream().map(a -> {
            Map<String, Object> attendee = MailJson.address(a.address());
            attendee.put("type", a.type());
            attendee.put("response", a.response());
            return attendee;
        }).toList());
        out.put("status", e.status());
        out.put("showAs", e.showAs());
        out.put("onlineMeetingUrl", e.onlineMeetingUrl());
        out.put("seriesId", e.seriesId());
        if (remote) {
            out.put("remote", e.remote());
        }
        return out;
    }

    static Map<String, Object> busy(BusySlot b) {
        return Map.of("start", b.start().toString(), "end", b.end().toString(), "status", b.status());
    }


    /**
     * {@code {calendar, subject, body, start, end, timeZone, allDay, location, attendees, onlineMeeting}}:
     * start and end ISO-8601 with an offset; timeZone an IANA name (default: the start's offset as UTC±hh:mm).
     */
    static NewEvent newEvent(Map<String, Object> body) {
        OffsetDateTime start = dateTime("start", MailJson.text(body, "start", 64));
        OffsetDateTime end = dateTime("end", MailJson.text(body, "end", 64));
        if (start == null || end == null || !end.isAfter(start)) {
            throw ProblemException.badRequest("start and end are required, ISO-8601 with an offset, end after start");
        }
        String zone = MailJson.text(body, "timeZone", 64);
        zone = zone != null ? zone(zone) : offsetZone(start);
        boolean allDay = Boolean.TRUE.equals(body.get("allDay"));
        if (allDay && (start.toLocalTime().toSecondOfDay() != 0 || end.toLocalTime().toSecondOfDay() != 0)) {
            throw ProblemException.badRequest("an all-day event starts and ends at midnight");
        }
        String subject = MailJson.text(body, "subject", 255);
        if (subject == null || subject.isBlank()) {
            throw ProblemException.badRequest("subject is required");
        }
        List<MailAddress> attendees = MailJson.addresses(body, "attendees");
        if (attendees.size() > 500) {
            throw ProblemException.badRequest("at most 500 attendees");
        }
        return new NewEvent(MailJson.text(body, "calendar", 400), subject, MailJson.text(body, "body", 1 << 20), start, end, zone, allDay,
                MailJson.text(body, "location", 255), attendees, Boolean.TRUE.equals(body.get("onlineMeeting")));
    }

    /** A change: the members given, each checked as for a new event; at least one. */
    static EventChange change(Map<String, Object> body) {
        List<String> known = List.of("subject", "body", "start", "end", "timeZone", "location", "attendees");
        if (body.isEmpty() || !known.containsAll(body.keySet())) {
            throw ProblemException.badRequest("a change has some of " + known);
        }
        OffsetDateTime start = dateTime("start", MailJson.text(body, "start", 64));
        OffsetDateTime end = dateTime("end", MailJson.text(body, "end", 64));
        if ((start == null) != (end == null) || start != null && !end.isAfter(start)) {
            throw ProblemException.badRequest("start and end change together, end after start");
        }
        String zone = MailJson.text(body, "timeZone", 64);
        if (zone != null) {
            if (start == null) {
                throw ProblemException.badRequest("timeZone changes with start and end");
            }
            zone = zone(zone);
        } else if (start != null) {
            zone = offsetZone(start);
        }
        String subject = MailJson.text(body, "subject", 255);
        if (subject != null && subject.isBlank()) {
            throw ProblemException.badRequest("subject cannot be blank");
        }
        List<MailAddress> attendees = body.containsKey("attendees") ? MailJson.addresses(body, "attendees") : null;
        return new EventChange(subject, MailJson.text(body, "body", 1 << 20), start, end, zone, MailJson.text(body, "location", 255), attendees);
    }

    /** The zone of an instant given without one: its offset, as {@code UTC} or {@code UTC+01:00}. */
    private static String offsetZone(OffsetDateTime at) {
        return at.getOffset().getId().equals("Z") ? "UTC" : "UTC" + at.getOffset().getId();
    }

    private static String zone(String name) {
        try {
            return ZoneId.of(name).getId();
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("timeZone is an IANA time zone name (Europe/Berlin)");
        }
    }

    static Instant instant(String name, String value) {
        OffsetDateTime at = dateTime(name, value);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime dateTime(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " is an ISO-8601 instant with an offset (2026-12-01T09:00:00+01:00)");
        }
    }
}
