package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Microsoft Graph (v1.0) for the users of a {@link FakeMicrosoftLogin}: it accepts the access
 * tokens that login issued and answers as Graph does. {@code GET /v1.0/me} gives the user's
 * directory object ({@code id} is the id token's {@code oid}; {@code mail} is {@code null} for a
 * user without a mailbox address, so a client must fall back to {@code userPrincipalName});
 * {@code $select} narrows it. A fifth request at once for one mailbox is refused with 429
 * {@code ApplicationThrottled} and {@code Retry-After} (Graph's MailboxConcurrency limit). Errors have Graph's shape: {@code {"error":{"code","message",
 * "innerError":{"date","request-id","client-request-id"}}}}; a missing or dead token is 401
 * {@code InvalidAuthenticationToken}.
 */
public class FakeGraph extends FakeServer {
    private final FakeMicrosoftLogin login;
    private final Set<String> withoutMail = ConcurrentHashMap.newKeySet();
    private final Map<String, GraphMailbox> mailboxes = new ConcurrentHashMap<>();
    private final GraphMail mail = new GraphMail(this);
    private final List<Extension> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final GraphDelta delta = new GraphDelta(this);
    private final GraphSubscriptions subscriptions = new GraphSubscriptions(this);
    private final GraphUploadSessions uploads = new GraphUploadSessions();
    /** Graph forwards at most 4 requests at a time for one mailbox to Exchange and refuses a fifth. */
    static final int MAILBOX_CONCURRENCY = 4;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> atOnce = new ConcurrentHashMap<>();
    private final Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();
    private volatile java.time.Duration mailboxLatency = java.time.Duration.ZERO;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> throttled = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> refused = new ConcurrentHashMap<>();

    public FakeGraph(FakeMicrosoftLogin login) {
        this.login = login;
        route("*", "/v1.0/me/", this::mail);
        route("GET", "/v1.0/me", this::me);
        route("*", "/v1.0/subscriptions", req -> {
            String subject = caller(req);
            return subject == null ? error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
                    : subscriptions.handle(req, subject);
        });
    }

    /** Accepts {@code http://} notification URLs (Graph takes HTTPS only), for a server under test on plain HTTP. */
    public void allowHttpNotifications() {
        subscriptions.allowHttp = true;
    }

    /** The user's subscriptions as Graph lists them ({@code id}, {@code resource}, {@code expirationDateTime}, {@code clientState}, ...). */
    public List<Map<String, Object>> subscriptions(String subject) {
        return subscriptions.of(subject);
    }

    /** How many times the user's subscriptions were renewed (PATCH). */
    public int subscriptionRenewals(String subject) {
        return subscriptions.renewals(subject);
    }

    /** The statuses notification URLs answered deliveries with, in order (0: no answer). */
    public List<Integer> notificationDeliveries() {
        return subscriptions.deliveries();
    }

    /** Sends a lifecycle event ({@code reauthorizationRequired}, {@code subscriptionRemoved}, {@code missed}) for each of the user's subscriptions. */
    public void lifecycle(String subject, String event) {
        subscriptions.lifecycle(subject, event);
    }

    /** Sends each of the user's subscriptions a delivery whose {@code clientState} is not theirs (an attacker's). */
    public void forgeNotification(String subject) {
        subscriptions.forge(subject);
    }

    /** A message of the user changed outside the API (a seed): its subscriptions are told. */
    private void notify(String subject, String changeType, String messageId) {
        subscriptions.changed(subject, "messages", changeType, messageId);
    }

    /** The user principal name of a subject of the login fake. */
    public static String userPrincipalName(String subject) {
        return subject + "@contoso.example";
    }

    /** This user has no {@code mail} (Graph answers {@code null}); their name is their UPN then. */
    public void withoutMail(String subject) {
        withoutMail.add(subject);
    }

    GraphMail mailPages() {
        return mail;
    }

    GraphDelta delta() {
        return delta;
    }

    GraphUploadSessions uploads() {
        return uploads;
    }

    /** The host ({@code 127.0.0.1:port}) of the upload sessions' addresses: another server, as Graph's are on outlook.office.com. */
    public String uploadHost() {
        return "127.0.0.1:" + uploads.port();
    }

    /** The bytes all upload sessions have taken so far. */
    public long uploadedBytes() {
        return uploads.received();
    }

    /** The most bytes one request of an upload session carried so far. */
    public long largestUploadChunk() {
        return uploads.largestChunk();
    }

    @Override
    public void close() {
        uploads.close();
        super.close();
    }

    /** The service forgets the user's delta tokens (tenant maintenance, an expired cache): their next use is 410 {@code syncStateNotFound}. */
    public void forgetDeltaTokens(String subject) {
        delta.forget(subject);
    }

    /** The user reads (or unreads) and flags (or unflags) a message in their own client. */
    public void mark(String subject, String messageId, boolean read, boolean flagged) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            GraphMailbox.Message m = box.message(messageId);
            m.read = read;
            m.flagged = flagged;
        }
        notify(subject, "updated", messageId);
    }

    /** The user deletes a message for good (Shift+Del): it leaves its folder without passing Deleted Items. */
    public void destroy(String subject, String messageId) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            box.messages.remove(box.message(messageId));
        }
        notify(subject, "deleted", messageId);
    }

    /** Every message of the user's mailbox as immutable id to {@code {folderId, read, flagged, subject}}. */
    public Map<String, Map<String, Object>> state(String subject) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            for (GraphMailbox.Message m : box.messages) {
                out.put(m.immutableId, Map.of("folderId", m.folderId, "read", m.read, "flagged", m.flagged,
                        "subject", String.valueOf(m.subject)));
            }
            return out;
        }
    }

    /** More of Graph under {@code /v1.0/me/} for this fake's users (testkit.calendar's calendars), behind its limits and errors. */
    public interface Extension {
        /** Whether this serves paths whose first segment after {@code /v1.0/me/} is this. */
        boolean handles(String firstSegment);

        /** Answers a request of an authenticated user; {@code segments} are the decoded path segments after {@code /v1.0/me/}. */
        FakeResponse handle(FakeRequest req, String subject, List<String> segments);
    }

    /** Serves an extension's paths with this Graph's authentication, mailbox concurrency limit, throttling and latency. */
    public void extend(Extension extension) {
        extensions.add(extension);
    }

    Extension extension(String firstSegment) {
        return extensions.stream().filter(e -> e.handles(firstSegment)).findFirst().orElse(null);
    }

    /** A page of a listing as Graph writes it: {@code value}, 10 to a page unless {@code $top} or {@code Prefer: odata.maxpagesize} says fewer, with an absolute nextLink. */
    public FakeResponse page(FakeRequest req, List<Map<String, Object>> items) {
        return mail.page(req, items);
    }

    /**
     * A delta query over a collection ({@code collection} names it within the user, {@code link}
     * is the absolute URL its next and delta links carry), with Graph's empty first pages,
     * repeated records, removals and forgotten tokens.
     */
    public FakeResponse delta(FakeRequest req, String subject, String collection, String link, DeltaCollection items) {
        return delta.handle(req, subject, collection, link, items);
    }

    /** The user's mailbox, created on first use with the well-known folders. */
    GraphMailbox mailbox(String subject) {
        return mailboxes.computeIfAbsent(subject, s -> new GraphMailbox());
    }

    /**
     * A message arrives in a user's inbox (a test's seed): from {@code from}, to the user, with an
     * HTML body; returns its immutable id.
     */
    public String deliver(String subject, String from, String title, String html, Instant received) {
        GraphMailbox box = mailbox(subject);
        String id;
        synchronized (box) {
            GraphMailbox.Message m = new GraphMailbox.Message(box.folder("inbox").id());
            m.from = GraphMailbox.recipient(null, from);
            m.replyTo = new java.util.ArrayList<>();
            m.to.add(GraphMailbox.recipient(subject, userPrincipalName(subject)));
            m.subject = title;
            m.body = html;
            m.received = received;
            m.conversationId = "AAQkAGI2" + java.util.UUID.randomUUID().toString().replace("-", "");
            box.messages.add(m);
            id = m.immutableId;
        }
        notify(subject, "created", id);
        return id;
    }

    /** Adds a file attachment's metadata to a message (a test's seed). */
    public void attach(String subject, String messageId, String name, String contentType, int size) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            box.message(messageId).attachments.add(Map.of("@odata.type", "#microsoft.graph.fileAttachment",
                    "id", "AAMkAtt" + box.message(messageId).attachments.size(), "name", name, "contentType", contentType, "size", size,
                    "isInline", false));
        }
    }

    /**
     * The messages of a folder (a well-known name or id) as Graph would list them with immutable
     * ids: {@code id}, {@code conversationId}, {@code subject}, {@code toRecipients}, {@code body}, ...
     */
    public List<Map<String, Object>> messagesIn(String subject, String folder) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            String id = box.folder(folder).id();
            return box.messages.stream().filter(m -> m.folderId.equals(id)).map(m -> GraphMail.json(m, true, null)).toList();
        }
    }

    /** Moves a message to another folder, as the user would: its default id changes, its immutable one does not. */
    public void move(String subject, String messageId, String folder) {
        GraphMailbox box = mailbox(subject);
        synchronized (box) {
            box.message(messageId).moveTo(box.folder(folder).id());
        }
        notify(subject, "updated", messageId);
    }

    /** Every mailbox request takes this long (inside the count of requests at once), zero by default. */
    public void mailboxLatency(java.time.Duration latency) {
        this.mailboxLatency = latency;
    }

    /** The user's next {@code count} mailbox requests are refused 429 {@code ApplicationThrottled} with {@code Retry-After: seconds}. */
    public void throttle(String subject, int count, int seconds) {
        throttleAfter(subject, 0, count, seconds);
    }

    /** As {@link #throttle}, after {@code passing} more requests of the user have been answered (a storm that starts mid-round). */
    public void throttleAfter(String subject, int passing, int count, int seconds) {
        passes.put(subject, new java.util.concurrent.atomic.AtomicInteger(passing));
        throttled.put(subject, new java.util.concurrent.atomic.AtomicInteger(count));
        retryAfter.put(subject, seconds);
    }

    private final Map<String, java.util.concurrent.atomic.AtomicInteger> passes = new ConcurrentHashMap<>();

    /** How many of the user's requests were refused by {@link #throttle}. */
    public int throttledRequests(String subject) {
        return refused.getOrDefault(subject, new java.util.concurrent.atomic.AtomicInteger()).get();
    }

    private final Map<String, Integer> retryAfter = new ConcurrentHashMap<>();

    /** The most requests for one user's mailbox this fake has had at once (those refused for it included). */
    public int mostAtOnce(String subject) {
        return mostAtOnce.getOrDefault(subject, 0);
    }

    private FakeResponse mail(FakeRequest req) {
        String subject = caller(req);
        if (subject == null) {
            return error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
        }
        java.util.concurrent.atomic.AtomicInteger now = atOnce.computeIfAbsent(subject, s -> new java.util.concurrent.atomic.AtomicInteger());
        int count = now.incrementAndGet();
        mostAtOnce.merge(subject, count, Math::max);
        try {
            java.util.concurrent.atomic.AtomicInteger storm = throttled.get(subject);
            java.util.concurrent.atomic.AtomicInteger pass = passes.get(subject);
            if (storm != null && (pass == null || pass.getAndDecrement() <= 0) && storm.getAndDecrement() > 0) {
                refused.computeIfAbsent(subject, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                return error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
                        .withHeader("Retry-After", String.valueOf(retryAfter.getOrDefault(subject, 1)));
            }
            if (count > MAILBOX_CONCURRENCY) {
                return error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.").withHeader("Retry-After", "1");
            }
            if (!mailboxLatency.isZero()) {
                Thread.sleep(mailboxLatency.toMillis());
            }
            return mail.handle(req, subject);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "ServiceUnavailable", "interrupted");
        } finally {
            now.decrementAndGet();
        }
    }

    private FakeResponse me(FakeRequest req) {
        String subject = caller(req);
        if (subject == null) {
            return error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
        }
        if (!req.path().equals("/v1.0/me")) {
            return error(400, "BadRequest", "Resource not found for the segment '" + req.path().substring("/v1.0/me/".length()) + "'.");
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("businessPhones", List.of());
        user.put("displayName", subject);
        user.put("givenName", subject);
        user.put("mail", withoutMail.contains(subject) ? null : userPrincipalName(subject));
        user.put("surname", null);
        user.put("userPrincipalName", userPrincipalName(subject));
        user.put("id", FakeMicrosoftLogin.objectId(subject));
        String select = req.queryParams().get("$select");
        if (select != null) {
            user.keySet().retainAll(List.of(select.split(",")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", baseUri() + "/v1.0/$metadata#users/$entity");
        out.putAll(user);
        return FakeResponse.json(200, Json.write(out));
    }

    /** The subject of the request's bearer token, or {@code null} when it has none that login issued and still honours. */
    private String caller(FakeRequest req) {
        String auth = req.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? login.subjectOf(auth.substring(7)) : null;
    }

    /** Graph's error body. */
    public static FakeResponse error(int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        return FakeResponse.json(status, Json.write(Map.of("error", Map.of("code", code, "message", message,
                "innerError", Map.of("date", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"), "request-id", requestId,
                        "client-request-id", requestId))))).withHeader("request-id", requestId);
    }
}
