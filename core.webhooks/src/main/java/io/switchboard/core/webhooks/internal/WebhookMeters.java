package io.switchboard.core.webhooks.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The webhooks' meters in {@code /metrics}: {@code switchboard.webhooks.deliveries} (deliveries
 * ended, per outcome: delivered, failed), {@code switchboard.webhooks.attempts} (each POST's
 * latency per result: 2xx, 4xx, 5xx, error), and two gauges over all instances, read from the
 * tables at most every 5 s: {@code switchboard.webhooks.pending} (deliveries not yet ended) and
 * {@code switchboard.webhooks.queue.age} (seconds since the oldest of them was created).
 */
final class WebhookMeters {
    static final String DELIVERIES = "switchboard.webhooks.deliveries";
    static final String ATTEMPTS = "switchboard.webhooks.attempts";
    private static final Duration FRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final WebhookRows rows;
    private volatile WebhookRows.Queue queue;
    private volatile Instant readAt = Instant.MIN;

    WebhookMeters(MeterRegistry registry, WebhookRows rows) {
        this.registry = registry;
        this.rows = rows;
        Gauge.builder("switchboard.webhooks.pending", this, m -> m.queue().pending()).register(registry);
        Gauge.builder("switchboard.webhooks.queue.age", this, m -> {
            Instant oldest = m.queue().oldest();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
        }).baseUnit("seconds").register(registry);
    }

    void attempt(Integer status, int latencyMs) {
        String result = status == null ? "error" : status / 100 + "xx";
        Timer.builder(ATTEMPTS).tag("result", result).register(registry).record(latencyMs, TimeUnit.MILLISECONDS);
    }

    void ended(String outcome) {
        registry.counter(DELIVERIES, "outcome", outcome).increment();
    }

    private WebhookRows.Queue queue() {
        Instant now = Instant.now();
        if (queue == null || now.isAfter(readAt.plus(FRESH))) {
            queue = rows.queue();
            readAt = now;
        }
        return queue;
    }

    /** Removes the gauges (the registry outlives a restart of this bundle). */
    void close() {
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("switchboard.webhooks.pending")
                || m.getId().getName().startsWith("switchboard.webhooks.queue")).forEach(registry::remove);
    }
}
