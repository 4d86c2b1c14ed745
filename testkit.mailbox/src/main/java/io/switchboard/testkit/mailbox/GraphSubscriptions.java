package io.switchboard.testkit.mailbox;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Graph's change notifications ({@code /v1.0/subscriptions}) as Graph handles them: a
 * subscription is created (201) only after both its URLs answered Graph's check, a POST with
 * {@code ?validationToken=} (a text with spaces and colons, so it must be echoed URL-decoded)
 * answered 200 with the token as text within 10 s; {@code notificationUrl} must be HTTPS (unless
 * {@link FakeGraph#allowHttpNotifications}); {@code clientState} at most 128 characters; at most
 * 10,080 minutes of life; PATCH renews, DELETE ends (204). A change in a watched mailbox is
 * delivered as {@code {"value":[{subscriptionId, clientState, changeType, resource, ...}]}};
 * lifecycle events go to the lifecycle URL.
 */
final class GraphSubscriptions {
    static final Duration LONGEST = Duration.ofMinutes(10_080);

    /** A subscription as Graph holds it. */
    static final class Subscription {
        final String id = UUID.randomUUID().toString();
        final String subject;
        final Map<String, Object> json = new LinkedHashMap<>();
        Instant expires;

        Subscription(String subject) {
            this.subject = subject;
        }
    }

    private final FakeGraph graph;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Integer> renewals = new ConcurrentHashMap<>();
    private final List<Integer> deliveries = new CopyOnWriteArrayList<>();
    volatile boolean allowHttp;

    GraphSubscriptions(FakeGraph graph) {
        this.graph = graph;
    }

    FakeResponse handle(FakeRequest req, String subject) {
        String rest = req.path().substring("/v1.0/subscriptions".length()).replaceAll("^/", "");
        if (req.method().equals("GET") && rest.isEmpty()) {
            return FakeResponse.json(200, Json.write(Map.of("value", of(subject))));
        }
        if (req.method().equals("POST") && rest.isEmpty()) {
            return create(req, subject);
        }
        Subscription s = subscriptions.get(rest);
        if (s == null || !s.subject.equals(subject)) {
            return FakeGraph.error(404, "ResourceNotFound", "The object was not found.");
        }
        if (req.method().equals("DELETE")) {
            subscriptions.remove(s.id);
            return FakeResponse.empty(204);
        }
        if (req.method().equals("PATCH")) {
            Map<String, Object> body = req.jsonObject();
            Instant expires = body == null ? null : expiry(body.get("expirationDateTime"));
            if (expires == null) {
                return tooLong();
            }
            s.expires = expires;
            renewals.merge(subject, 1, Integer::sum);
            return FakeResponse.json(200, Json.write(json(s)));
        }
        return FakeGraph.error(405, "MethodNotAllowed", "The method is not allowed.");
    }

    private FakeResponse create(FakeRequest req, String subject) {
        Map<String, Object> body = req.jsonObject();
        if (body == null || !(body.get("notificationUrl") instanceof String url) || !(body.get("resource") instanceof String resource)
                || !(body.get("changeType") instanceof String)) {
            return FakeGraph.error(400, "InvalidRequest", "changeType, notificationUrl and resource are required.");
        }
        if (!url.startsWith("https://") && !(allowHttp && url.startsWith("http://"))) {
            return FakeGraph.error(400, "InvalidRequest", "The Notification Url must be a valid HTTPS URL.");
        }
        if (body.get("clientState") instanceof String state && state.length() > 128) {
            return FakeGraph.error(400, "InvalidRequest", "clientState is longer than 128 characters.");
        }
        Instant expires = expiry(body.get("expirationDateTime"));
        if (expires == null) {
            return tooLong();
        }
        for (Object check : new Object[] {url, body.get("lifecycleNotificationUrl")}) {
            if (check instanceof String u && !validates(u)) {
                return FakeGraph.error(400, "ValidationError", "Subscription validation request failed. Notification endpoint must respond "
                        + "with 200 OK to validation request.");
            }
        }
        Subscription s = new Subscription(subject);
        s.json.putAll(body);
        s.json.put("resource", resource.replaceAll("^/", ""));
        s.expires = expires;
        subscriptions.put(s.id, s);
        return FakeResponse.json(201, Json.write(json(s)));
    }

    /** Graph's check of a URL: the token as text back, 200, within 10 s. */
    private boolean validates(String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: " + UUID.randomUUID();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + "validationToken="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().equals(token)
                    && answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain");
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Instant expiry(Object value) {
        try {
            Instant at = OffsetDateTime.parse(String.valueOf(value)).toInstant();
            return at.isAfter(Instant.now().plus(LONGEST).plusSeconds(60)) || at.isBefore(Instant.now()) ? null : at;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static FakeResponse tooLong() {
        return FakeGraph.error(400, "ExtensionError", "Subscription expiration can only be " + LONGEST.toMinutes() + " minutes in the future.");
    }

    private Map<String, Object> json(Subscription s) {
        Map<String, Object> out = new LinkedHashMap<>(s.json);
        out.put("id", s.id);
        out.put("applicationId", "00000000-0000-0000-0000-000000000001");
        out.put("creatorId", FakeMicrosoftLogin.objectId(s.subject));
        out.put("expirationDateTime", s.expires.toString());
        out.put("includeResourceData", false);
        out.put("latestSupportedTlsVersion", "v1_2");
        return out;
    }

    List<Map<String, Object>> of(String subject) {
        return subscriptions.values().stream().filter(s -> s.subject.equals(subject)).map(this::json).toList();
    }

    int renewals(String subject) {
        return renewals.getOrDefault(subject, 0);
    }

    /** Statuses the notification URLs answered deliveries with, in order. */
    List<Integer> deliveries() {
        return List.copyOf(deliveries);
    }

    /** A change of a user's message or event: a notification to each subscription watching it. */
    void changed(String subject, String collection, String changeType, String id) {
        for (Subscription s : subscriptions.values()) {
            if (s.subject.equals(subject) && String.valueOf(s.json.get("resource")).toLowerCase().endsWith(collection)
                    && String.valueOf(s.json.get("changeType")).contains(changeType)) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("id", UUID.randomUUID().toString());
                n.put("subscriptionId", s.id);
                n.put("subscriptionExpirationDateTime", s.expires.toString());
                n.put("clientState", s.json.get("clientState"));
                n.put("changeType", changeType);
                n.put("resource", "Users/" + FakeMicrosoftLogin.objectId(subject) + "/" + collection + "/" + id);
                n.put("tenantId", FakeMicrosoftLogin.TENANT);
                n.put("resourceData", Map.of("@odata.type", "#Microsoft.Graph." + (collection.equals("messages") ? "Message" : "Event"), "id", id));
                deliver(String.valueOf(s.json.get("notificationUrl")), n);
            }
        }
    }

    /** A lifecycle event for each of the user's subscriptions, to their lifecycle URLs; {@code subscriptionRemoved} removes them. */
    void lifecycle(String subject, String event) {
        for (Subscription s : new ArrayList<>(subscriptions.values())) {
            if (s.subject.equals(subject) && s.json.get("lifecycleNotificationUrl") instanceof String url) {
                if (event.equals("subscriptionRemoved")) {
                    subscriptions.remove(s.id);
                }
                deliver(url, Map.of("subscriptionId", s.id, "subscriptionExpirationDateTime", s.expires.toString(), "tenantId",
                        FakeMicrosoftLogin.TENANT, "clientState", String.valueOf(s.json.get("clientState")), "lifecycleEvent", event));
            }
        }
    }

    /** A delivery for each of the user's subscriptions with a {@code clientState} that is not theirs. */
    void forge(String subject) {
        for (Subscription s : subscriptions.values()) {
            if (s.subject.equals(subject)) {
                deliver(String.valueOf(s.json.get("notificationUrl")), Map.of("subscriptionId", s.id, "clientState", "guessed",
                        "changeType", "created", "resource", "Users/x/messages/y"));
            }
        }
    }

    private void deliver(String url, Map<String, Object> notification) {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            JSONObjectUtils.toJSONString(Map.of("value", List.of(notification))))).build(), HttpResponse.BodyHandlers.discarding());
            deliveries.add(answer.statusCode());
        } catch (java.io.IOException e) {
            deliveries.add(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
