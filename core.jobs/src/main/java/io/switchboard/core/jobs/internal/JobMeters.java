package io.switchboard.core.jobs.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The jobs' meters in {@code /metrics}: {@code switchboard.jobs.start.delay} (from a run's due
 * time to its start, per type: the commit-to-start latency of a run due now),
 * {@code switchboard.jobs.runs} (duration per type and outcome: done, retry, dead, held), and the
 * gauge {@code switchboard.jobs} per state (due, running, scheduled, dead) across all instances,
 * read from the tables at most every 5 s.
 */
final class JobMeters {
    static final String START_DELAY = "switchboard.jobs.start.delay";
    static final String RUNS = "switchboard.jobs.runs";
    static final String STATES = "switchboard.jobs";
    private static final Duration[] BUCKETS = LongStream.of(10, 50, 100, 250, 1000, 5000, 30_000, 300_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    private static final Duration FRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final JobRows rows;
    private final Clock clock;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private volatile JobRows.Counts counts;
    private volatile Instant countedAt = Instant.MIN;

    JobMeters(MeterRegistry registry, JobRows rows, Clock clock) {
        this.registry = registry;
        this.rows = rows;
        this.clock = clock;
        Gauge.builder(STATES, this, m -> m.counts().due()).tag("state", "due").register(registry);
        Gauge.builder(STATES, this, m -> m.counts().running()).tag("state", "running").register(registry);
        Gauge.builder(STATES, this, m -> m.counts().scheduled()).tag("state", "scheduled").register(registry);
        Gauge.builder(STATES, this, m -> m.counts().dead()).tag("state", "dead").register(registry);
    }

    void started(String type, Instant due, Instant now) {
        long late = Math.max(0, Duration.between(due, now).toNanos());
        timers.computeIfAbsent(START_DELAY + " " + type, k -> Timer.builder(START_DELAY).tag("type", type).serviceLevelObjectives(BUCKETS)
                .register(registry)).record(late, TimeUnit.NANOSECONDS);
    }

    void finished(String type, String outcome, long nanos) {
        timers.computeIfAbsent(RUNS + " " + type + " " + outcome, k -> Timer.builder(RUNS).tag("type", type).tag("outcome", outcome)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private JobRows.Counts counts() {
        Instant now = clock.instant();
        if (counts == null || now.isAfter(countedAt.plus(FRESH))) {
            counts = rows.counts(now);
            countedAt = now;
        }
        return counts;
    }

    /** Removes this engine's meters (the registry outlives a restart of the jobs bundle). */
    void close() {
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(STATES)).forEach(registry::remove);
    }
}
