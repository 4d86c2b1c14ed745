package io.switchboard.core.mailbox.api;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A change to an event: the members that are not {@code null} are set, the others left as they are.
 *
 * @param timeZone the IANA zone {@code start} and {@code end} are written in (with them)
 * @param attendees the whole new list of attendees (the provider tells those added and removed)
 */
public record EventChange(String subject, String body, OffsetDateTime start, OffsetDateTime end, String timeZone, String location,
                          List<MailAddress> attendees) {
}
