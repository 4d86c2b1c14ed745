package io.switchboard.core.mailbox.api;

import java.time.Instant;

/**
 * Events overlapping a range, recurring ones expanded into their occurrences, by start.
 *
 * @param calendarId a calendar id, or {@code null} for the account's default calendar
 * @param next where the previous page ended ({@link EventPage#next()}), or {@code null}
 */
public record EventQuery(String calendarId, Instant start, Instant end, int limit, String next) {
}
