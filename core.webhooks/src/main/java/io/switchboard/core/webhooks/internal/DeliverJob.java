package io.switchboard.core.webhooks.internal;

import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.RetryLater;
import io.switchboard.core.api.jobs.RetryPolicy;
import io.switchboard.core.outbound.api.ProviderCalls;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of an event to an endpoint, as a background run ({@value #NAME}): a POST of the
 * event's body signed per Standard Webhooks, over the outbound stack (public addresses only,
 * checked at connection time; no redirects) with {@code timeout.seconds}. A 2xx delivers it;
 * anything else is retried (the endpoint's {@code Retry-After} honoured) from 30 s doubling to
 * 12 h, about three days in all, then the delivery fails. An endpoint with no success for
 * {@code disable.after.days} is disabled. At most {@value #PER_ENDPOINT} deliveries to one endpoint
 * run at once. Every attempt is logged without the secret.
 */
@Component(service = JobType.class, immediate = true) // active before core.jobs binds it: bound lazily, its activation
// would go through WebhookService back to the Jobs service that is binding it (a cycle SCR leaves unresolved)
public class DeliverJob implements JobType {
    static final String NAME = "webhooks.deliver";
    private static final Logger LOG = LoggerFactory.getLogger(DeliverJob.class);
    private static final int SNIPPET = 1024;

    private final WebhookService webhooks;
    private final Upstream calls;

    @Activate
    public DeliverJob(@Reference WebhookService webhooks, @Reference ProviderCalls calls) {
        this.webhooks = webhooks;
        this.calls = calls.withTimeout(Duration.ofSeconds(Math.max(1, webhooks.config().timeout_seconds())));
    }

    /** At most this many deliveries to one endpoint at once, across instances (a slow receiver is not flooded). */
    static final int PER_ENDPOINT = 4;

    static JobRequest request(String app, String endpointId, String deliveryId) {
        return JobRequest.of(NAME, deliveryId).forApp(app).withData(java.util.Map.of("endpoint", endpointId));
    }

    @Override
    public int concurrencyLimit() {
        return PER_ENDPOINT;
    }

    @Override
    public String concurrencyKey(JobContext job) {
        return (String) job.data().get("endpoint");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetryPolicy retryPolicy() {
        WebhooksConfig config = webhooks.config();
        return new RetryPolicy(Math.max(1, config.attempts()), Duration.ofMillis(Math.max(1, config.retry_first_delay_ms())),
                Duration.ofMillis(Math.max(1, config.retry_max_delay_ms())));
    }

    @Override
    public void run(JobContext job) throws Exception {
        WebhookRows rows = webhooks.rows();
        WebhookRows.Work work = rows.work(job.key()).orElse(null);
        if (work == null || !work.delivery().state().equals("pending")) {
            return; // delivered by an earlier attempt, or gone
        }
        WebhookRows.Delivery delivery = work.delivery();
        WebhookRows.Endpoint endpoint = work.endpoint();
        WebhookRows.Event event = work.event();
        if (endpoint == null || event == null || !endpoint.enabled()) {
            rows.state(delivery.id(), "skipped"); // the endpoint was deleted or disabled meanwhile
            return;
        }
        Instant now = Instant.now();
        long timestamp = now.getEpochSecond();
        String body = event.body();
        List<String> signatures = webhooks.signingSecrets(endpoint, now).stream()
                .map(secret -> Signatures.sign(secret, event.id(), timestamp, body)).toList();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", event.id()); // the same for every attempt and endpoint: receivers de-duplicate by it
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", String.join(" ", signatures));
        headers.put("User-Agent", "Switchboard-Webhooks/1");
        long started = System.nanoTime();
        Upstream.Response answer;
        try {
            answer = calls.send(new Upstream.Request("POST", endpoint.url(), headers, body));
        } catch (IOException | RuntimeException e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            int latency = millisSince(started);
            webhooks.meters().attempt(null, latency);
            failed(job, delivery, endpoint, new WebhookRows.Attempt(job.attempt(), now, null, latency, null, truncate(error, 300)));
            throw new IOException("delivery " + delivery.id() + " to " + endpoint.id() + ": " + truncate(error, 200));
        }
        WebhookRows.Attempt attempt = new WebhookRows.Attempt(job.attempt(), now, answer.status(), millisSince(started),
                truncate(answer.body(), SNIPPET), null);
        webhooks.meters().attempt(answer.status(), attempt.latencyMs());
        if (answer.ok()) {
            rows.attempted(delivery.id(), attempt, "delivered");
            webhooks.meters().ended("delivered");
            if (endpoint.failingSince() != null) {
                rows.update(endpoint.withFailingSince(null, null));
            }
            return;
        }
        failed(job, delivery, endpoint, attempt);
        Duration retryAfter = retryAfter(answer);
        if (retryAfter != null) {
            throw new RetryLater(retryAfter, "the endpoint answered " + answer.status() + " with Retry-After");
        }
        throw new IOException("delivery " + delivery.id() + ": the endpoint answered " + answer.status());
    }

    /** Logs a failed attempt, fails the delivery on its last one, and disables an endpoint failing for too long. */
    private void failed(JobContext job, WebhookRows.Delivery delivery, WebhookRows.Endpoint endpoint, WebhookRows.Attempt attempt) {
        boolean last = job.attempt() >= retryPolicy().maxAttempts();
        webhooks.rows().attempted(delivery.id(), attempt, last ? "failed" : "pending");
        if (last) {
            webhooks.meters().ended("failed");
        }
        Instant since = endpoint.failingSince() == null ? attempt.at() : endpoint.failingSince();
        boolean disable = since.isBefore(attempt.at().minus(Duration.ofDays(Math.max(1, webhooks.config().disable_after_days()))));
        if (disable && endpoint.enabled()) {
            webhooks.disable(endpoint, since);
            LOG.warn("Webhook endpoint {} of app {} disabled: no successful delivery since {}", endpoint.id(), endpoint.app(), since);
        } else if (endpoint.failingSince() == null) {
            webhooks.rows().update(endpoint.withFailingSince(since, null));
        }
    }

    private static Duration retryAfter(Upstream.Response answer) {
        List<String> values = answer.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(h -> h.getValue().stream()).toList();
        if (values.isEmpty() || !(answer.status() == 429 || answer.status() == 503)) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(Math.max(1, Long.parseLong(values.get(0).trim())), Duration.ofHours(12).toSeconds()));
        } catch (NumberFormatException dateForm) {
            return Duration.ofMinutes(1);
        }
    }

    private static int millisSince(long started) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
