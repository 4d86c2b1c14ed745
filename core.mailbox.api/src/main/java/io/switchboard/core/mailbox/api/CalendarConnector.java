package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The unified calendar operations of one provider, registered like a {@link MailboxConnector}
 * (the {@code connector.id} of its connector) and given the same {@link MailboxHttp}.
 */
@ConsumerType
public interface CalendarConnector {

    List<CalendarInfo> calendars(MailboxHttp http) throws ProviderRefusal, IOException;

    /** Events overlapping the query's range, occurrences of recurring ones expanded, by start. */
    EventPage events(MailboxHttp http, EventQuery query) throws ProviderRefusal, IOException;

    CalendarEvent event(MailboxHttp http, String id) throws ProviderRefusal, IOException;

    /** Creates an event (with its online meeting when asked) and returns it as stored. */
    CalendarEvent create(MailboxHttp http, NewEvent event) throws ProviderRefusal, IOException;

    /** Changes an event (the provider tells its attendees) and returns it as stored. */
    CalendarEvent update(MailboxHttp http, String id, EventChange change) throws ProviderRefusal, IOException;

    /**
     * Answers an invitation as the account's user: {@code accepted}, {@code tentative} or
     * {@code declined}, with an optional comment for the organizer.
     */
    void respond(MailboxHttp http, String id, String response, String comment) throws ProviderRefusal, IOException;

    /** Deletes an event (the provider tells its attendees). */
    void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException;

    /** When the account's own calendars are not free between {@code start} and {@code end}. */
    List<BusySlot> busy(MailboxHttp http, Instant start, Instant end) throws ProviderRefusal, IOException;
}
