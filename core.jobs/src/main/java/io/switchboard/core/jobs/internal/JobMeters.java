package io.switchboard.core.jobs.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.core.api.util.Recent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
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

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> startDelay;
    private final Meter.MeterProvider<Timer> runs;
    private final List<Gauge> states;
    private final Recent<JobRows.Counts> counts = new Recent<>(Duration.ofSeconds(5));

    JobMeters(MeterRegistry registry, JobRows rows) {
        this.registry = registry;
        this.startDelay = Timer.builder(START_DELAY).serviceLevelObjectives(BUCKETS).withRegistry(registry);
        this.runs = Timer.builder(RUNS).withRegistry(registry);
        ToDoubleFunction<String> state = name -> {
            JobRows.Counts c = counts.get(() -> rows.counts(Instant.now()));
            return switch (name) {
                case "due" -> c.due();
                case "running" -> c.running();
                case "scheduled" -> c.scheduled();
                default -> c.dead();
            };
        };
        this.states = List.of("due", "running", "scheduled", "dead").stream()
                .map(name -> Gauge.builder(STATES, name, state).tag("state", name).register(registry)).toList();
    }

    void started(String type, Instant due, Instant now) {
        startDelay.withTag("type", type).record(Math.max(0, Duration.between(due, now).toNanos()), TimeUnit.NANOSECONDS);
    }

    void finished(String type, String outcome, long nanos) {
        runs.withTags("type", type, "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the gauges, which read through this engine's tables (the registry outlives a restart of the jobs bundle). */
    void close() {
        states.forEach(registry::remove);
    }
}
