package io.switchboard.core.proxy.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Proxy calls per connector, in {@code /metrics}: {@value #REQUESTS} (a timer per connector and
 * status class, with latency buckets from 1 ms to 10 s) and {@value #UPSTREAM_ERRORS} (calls the
 * provider did not answer).
 */
@Component(service = ProxyMetrics.class)
public class ProxyMetrics {
    static final String REQUESTS = "switchboard.proxy.requests";
    static final String UPSTREAM_ERRORS = "switchboard.proxy.upstream.errors";
    private static final Duration[] BUCKETS = LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Counter> upstreamErrors;

    @Activate
    public ProxyMetrics(@Reference MeterRegistry registry) {
        this.requests = Timer.builder(REQUESTS).serviceLevelObjectives(BUCKETS).withRegistry(registry);
        this.upstreamErrors = Counter.builder(UPSTREAM_ERRORS).withRegistry(registry);
    }

    void record(String connectorId, int status, long nanos, boolean upstreamError) {
        String statusClass = status >= 100 && status < 600 ? status / 100 + "xx" : "other";
        requests.withTags("connector", connectorId, "status", statusClass).record(nanos, TimeUnit.NANOSECONDS);
        if (upstreamError) {
            upstreamErrors.withTag("connector", connectorId).increment();
        }
    }
}
