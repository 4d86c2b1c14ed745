package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a provider tells what changed in a mailbox's calendars, for the offline index of events in
 * a window around today (by default 30 days back, 180 ahead). Registered like
 * {@link MailboxSync}, with the {@code connector.id} of its connector. One stream per calendar;
 * rounds, pages, cursors and full passes as for {@link MailboxSync}.
 *
 * <p>The window is given with every page. A full pass lists the events that overlap it (one record
 * per occurrence of a recurring event); later rounds list what changed since. When the window has
 * moved on since the round's cursor was made (a new day), the connector throws {@link SyncReset}:
 * the calendar is read again in full, and events that left the window leave the index.
 *
 * @since 1.1.0
 */
@ConsumerType
public interface CalendarSync {

    /** The mailbox's calendars' ids now. */
    List<String> streams(MailboxHttp http) throws ProviderRefusal, IOException;

    /**
     * The next page of a calendar's round.
     *
     * @param cursor {@code null} to start a full pass, else the cursor of the page before (or of the last complete round)
     * @param from the window's start (midnight UTC)
     * @param to the window's end
     * @throws SyncReset the provider no longer knows the cursor (Graph 410, Google 410
     *     {@code fullSyncRequired}), or the window has moved since it was made
     */
    SyncPage<CalendarEvent> page(MailboxHttp http, String calendar, String cursor, Instant from, Instant to)
            throws SyncReset, ProviderRefusal, IOException;
}
