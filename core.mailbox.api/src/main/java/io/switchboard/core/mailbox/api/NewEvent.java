package io.switchboard.core.mailbox.api;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An event to create.
 *
 * @param calendarId the calendar, or {@code null} for the default one
 * @param timeZone the event's IANA time zone (its start and end are written in it)
 * @param attendees the people to invite (the provider sends the invitations)
 * @param onlineMeeting whether to add a Teams (Microsoft) or Meet (Google) meeting
 */
public record NewEvent(String calendarId, String subject, String body, OffsetDateTime start, OffsetDateTime end, String timeZone,
                       boolean allDay, String location, List<MailAddress> attendees, boolean onlineMeeting) {
    public NewEvent {
        attendees = attendees == null ? List.of() : List.copyOf(attendees);
    }
}
