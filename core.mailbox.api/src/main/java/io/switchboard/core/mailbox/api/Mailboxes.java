package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.AccessToken;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The mailbox engine for the bundles built on it (the offline sync): HTTP to an account for a
 * background run, the installed connectors' syncs, and the unified records of messages and events. A service
 * of {@code core.mailbox}.
 *
 * @since 1.1.0
 */
@ProviderType
public interface Mailboxes {

    /**
     * HTTP to the account of {@code token} on the app's behalf: its budget, calls at once and
     * timeout, one refresh and retry on 401, as for the unified API's calls; but where a user's
     * call would fail with 429 when the account's own budget is spent, this one waits for it (a
     * minute at most in all).
     */
    MailboxHttp http(String appId, AccessToken token);

    /**
     * The installed mailbox connector (a background run reads a message whole with it).
     *
     * @throws io.switchboard.core.api.ProblemException 404 {@code not-a-mailbox} for a connector without a mailbox, 503 when none is installed
     * @since 1.4.0
     */
    MailboxConnector connector(String connectorId);

    /**
     * The sync of a connector's mailboxes, if one is installed now.
     *
     * @throws io.switchboard.core.api.ProblemException 404 {@code not-a-mailbox} for a connector without a mailbox
     */
    Optional<MailboxSync> sync(String connectorId);

    /**
     * The sync of a connector's calendars, if one is installed now.
     *
     * @throws io.switchboard.core.api.ProblemException 404 {@code not-a-calendar} for a connector without a calendar
     */
    Optional<CalendarSync> calendarSync(String connectorId);

    /**
     * The change notifications of a connector's mailboxes, if it offers them and they are installed now.
     *
     * @since 1.3.0
     */
    Optional<MailboxPush> push(String connectorId);

    /** A message as the unified API writes it (bodies only if it has them; never {@code remote}). */
    Map<String, Object> record(MailMessage message);

    /** An event as the unified API writes it (never {@code remote}). */
    Map<String, Object> record(CalendarEvent event);
}
