package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider's change notifications to a URL of Switchboard's (Microsoft Graph's subscriptions),
 * registered as a service with the {@code connector.id} of its connector. A notification only
 * wakes the account's sync run: the sync's own cursors stay the truth. Methods throw
 * {@link ProviderRefusal} for the provider's refusals and {@link IOException} when it cannot be
 * reached.
 *
 * @since 1.3.0
 */
@ConsumerType
public interface MailboxPush {

    /** A subscription as the provider holds it. */
    record Subscription(String id, Instant expires) {}

    /**
     * One notification of a provider's POST.
     *
     * @param lifecycleEvent {@code null} for a change; else the provider's lifecycle event
     *     ({@code reauthorizationRequired}, {@code subscriptionRemoved}, {@code missed})
     */
    record Notice(String subscriptionId, String clientState, String lifecycleEvent) {}

    /** The resources to watch for an account that syncs its mail and (or) its calendars. */
    List<String> resources(boolean mail, boolean calendar);

    /** The longest a subscription may live at this provider. */
    java.time.Duration longestLife();

    /**
     * Subscribes to a resource's changes; the provider checks both URLs before it answers (see
     * {@link #validationToken}).
     *
     * @param clientState a secret the provider sends back with every notification
     */
    Subscription subscribe(MailboxHttp http, String resource, String notificationUrl, String lifecycleUrl, String clientState,
                           Instant expires) throws ProviderRefusal, IOException;

    /** Extends a subscription (and reauthorizes it). */
    Subscription renew(MailboxHttp http, String subscriptionId, Instant expires) throws ProviderRefusal, IOException;

    /** Ends a subscription. */
    void unsubscribe(MailboxHttp http, String subscriptionId) throws ProviderRefusal, IOException;

    /**
     * The token to echo when a request to the notification URL is the provider's check of it, or
     * {@code null} when it is a delivery of notifications.
     */
    String validationToken(Map<String, String> query);

    /** The notifications a delivery's JSON body holds (malformed ones left out). */
    List<Notice> notices(Map<String, Object> body);
}
