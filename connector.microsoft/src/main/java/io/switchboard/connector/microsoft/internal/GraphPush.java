package io.switchboard.connector.microsoft.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MailboxPush;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Graph's change notifications: a subscription per watched resource ({@code me/messages} for
 * the whole mailbox, {@code me/events} for the calendars) with {@code created,updated,deleted},
 * a lifecycle URL (reauthorization, removal, missed notifications) and a {@code clientState};
 * asked for with immutable ids like every other call. Graph checks both URLs with a
 * {@code validationToken} before it answers the subscription, and keeps one at most 10,080
 * minutes (renewed with a PATCH, which also reauthorizes it).
 */
@Component(service = MailboxPush.class, property = Connector.ID + "=microsoft")
public class GraphPush implements MailboxPush {
    /** Graph's longest subscription to Outlook messages and events without resource data. */
    static final Duration LONGEST = Duration.ofMinutes(10_080);

    @Override
    public List<String> resources(boolean mail, boolean calendar) {
        List<String> out = new ArrayList<>();
        if (mail) {
            out.add("me/messages");
        }
        if (calendar) {
            out.add("me/events");
        }
        return out;
    }

    @Override
    public Duration longestLife() {
        return LONGEST;
    }

    @Override
    public Subscription subscribe(MailboxHttp http, String resource, String notificationUrl, String lifecycleUrl, String clientState,
                                  Instant expires) throws ProviderRefusal, IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changeType", "created,updated,deleted");
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", lifecycleUrl);
        body.put("resource", resource);
        body.put("expirationDateTime", expires.truncatedTo(ChronoUnit.SECONDS).toString());
        body.put("clientState", clientState);
        return subscription(http.object(http.send("POST", "/v1.0/subscriptions", GraphMail.IMMUTABLE, http.write(body))));
    }

    @Override
    public Subscription renew(MailboxHttp http, String subscriptionId, Instant expires) throws ProviderRefusal, IOException {
        String body = http.write(Map.of("expirationDateTime", expires.truncatedTo(ChronoUnit.SECONDS).toString()));
        return subscription(http.object(http.send("PATCH", "/v1.0/subscriptions/" + UrlParts.encode(subscriptionId), Map.of(), body)));
    }

    @Override
    public void unsubscribe(MailboxHttp http, String subscriptionId) throws ProviderRefusal, IOException {
        var answer = http.send("DELETE", "/v1.0/subscriptions/" + UrlParts.encode(subscriptionId), Map.of(), null);
        if (answer.status() != 404) {
            http.object(answer);
        }
    }

    @Override
    public String validationToken(Map<String, String> query) {
        return query.get("validationToken");
    }

    @Override
    public List<Notice> notices(Map<String, Object> body) {
        List<Notice> out = new ArrayList<>();
        for (Map<String, Object> n : JsonValues.objects(body.get("value"))) {
            String id = JsonValues.string(n.get("subscriptionId"));
            if (id != null) {
                out.add(new Notice(id, JsonValues.string(n.get("clientState")), JsonValues.string(n.get("lifecycleEvent"))));
            }
        }
        return out;
    }

    private static Subscription subscription(Map<String, Object> s) throws ProviderRefusal {
        String id = JsonValues.string(s.get("id"));
        String expires = JsonValues.string(s.get("expirationDateTime"));
        if (id == null || expires == null) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 200, "Graph answered a subscription without id or expiration", null);
        }
        return new Subscription(id, java.time.OffsetDateTime.parse(expires).toInstant());
    }
}
