package io.switchboard.core.mailbox.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event, or one occurrence of a recurring one, in the unified shape.
 *
 * @param start the start, with the offset of the event's own time zone
 * @param end the end (exclusive), likewise
 * @param timeZone the event's IANA time zone (Graph's Windows names converted)
 * @param allDay whether it spans whole days ({@code start} and {@code end} at midnight)
 * @param status {@code confirmed}, {@code tentative} or {@code cancelled}
 * @param showAs {@code free}, {@code tentative}, {@code busy}, {@code oof}, {@code workingElsewhere} or {@code unknown}
 * @param onlineMeetingUrl the join link of its Teams or Meet meeting, or {@code null}
 * @param seriesId the recurring series it belongs to, or {@code null}
 */
public record CalendarEvent(String id, String calendarId, String subject, String body, OffsetDateTime start, OffsetDateTime end,
                            String timeZone, boolean allDay, String location, MailAddress organizer, List<Attendee> attendees,
                            String status, String showAs, String onlineMeetingUrl, String seriesId, Map<String, Object> remote) {
    public CalendarEvent {
        Objects.requireNonNull(id, "id");
        attendees = attendees == null ? List.of() : List.copyOf(attendees);
        remote = remote == null ? Map.of() : remote;
    }
}
