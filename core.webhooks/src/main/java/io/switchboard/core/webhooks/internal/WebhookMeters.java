package io.switchboard.core.webhooks.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.core.api.util.Recent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> attempts;
    private final Meter.MeterProvider<Counter> deliveries;
    private final List<Gauge> gauges;
    private final Recent<WebhookRows.Queue> queue = new Recent<>(Duration.ofSeconds(5));

    WebhookMeters(MeterRegistry registry, WebhookRows rows) {
        this.registry = registry;
        this.attempts = Timer.builder(ATTEMPTS).withRegistry(registry);
        this.deliveries = Counter.builder(DELIVERIES).withRegistry(registry);
        this.gauges = List.of(
                Gauge.builder("switchboard.webhooks.pending", rows, r -> queue.get(r::queue).pending()).register(registry),
                Gauge.builder("switchboard.webhooks.queue.age", rows, r -> {
                    Instant oldest = queue.get(r::queue).oldest();
                    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
                }).baseUnit("seconds").register(registry));
    }

    void attempt(Integer status, int latencyMs) {
        attempts.withTag("result", status == null ? "error" : status / 100 + "xx").record(latencyMs, TimeUnit.MILLISECONDS);
    }

    void ended(String outcome) {
        deliveries.withTag("outcome", outcome).increment();
    }

    /** Removes the gauges, which read through this service's tables (the registry outlives a restart of this bundle). */
    void close() {
        gauges.forEach(registry::remove);
    }
}
