package io.switchboard.testkit.conformance;

import java.util.List;
import java.util.Map;

/**
 * One mailbox connector together with the fake of its provider, as {@link MailboxConformance}
 * needs them: how to link an account, how to seed the fake's mailbox and read it back, and how
 * to make it misbehave. A connector author implements this for a new connector (IMAP/SMTP, EWS)
 * and runs the suite with it.
 */
public interface MailboxConformanceSubject {

    /** The connector's {@code connector.id}. */
    String connectorId();

    /** Links a new account of the provider user through the connector's real linking flow; returns its account id. */
    String link(SwitchboardClient client, String user);

    /** The {@code externalId} Switchboard must record for an account of that user. */
    String externalIdOf(String user);

    /** A message arrives in the user's inbox, unread, from {@code from}; returns its provider id (the unified id). */
    String deliver(String user, String from, String subject, String text);

    /**
     * Adds a file to a delivered message; its bytes are the testkit's large-body pattern
     * ({@code FakeServer.largeBodyByte}) of that size.
     */
    void attach(String user, String messageId, String name, String contentType, int size);

    /** The messages the user has sent, as the fake holds them: {@code subject} and {@code thread} (the provider's thread or conversation) each. */
    List<Map<String, String>> sent(String user);

    /** The provider's thread (or conversation) of a message the fake holds. */
    String threadOf(String user, String messageId);

    /** Makes every access token the fake issued so far invalid: the next call with one gets the provider's 401. */
    void expireAccessTokens();

    /** How many refresh-token grants the fake has answered. */
    int refreshCalls();

    /** Makes the fake refuse the user's next mailbox call with the provider's own rate limit (429 and {@code Retry-After}). */
    void rateLimitNextCall(String user);

    /** An id of the provider's own format that no message has. */
    String missingMessageId();
}
