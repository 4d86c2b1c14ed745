package io.switchboard.core.api.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed attempts of a job are retried: exponential back-off from {@code firstDelay},
 * doubling up to {@code maxDelay}, with full jitter (a random delay between half and all of it,
 * so that runs that failed together do not come back together); after {@code maxAttempts}
 * attempts the run is dead: kept, visible to the operator and retryable by them.
 *
 * @param maxAttempts attempts in all (1 = never retried)
 * @param firstDelay the delay before the first retry
 * @param maxDelay the longest delay between attempts
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
    /** 10 attempts, 30 s after the first failure, doubling to at most an hour: 1.5 to 3 hours from the first failure to death. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofSeconds(30), Duration.ofHours(1));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
    }

    /**
     * The delay before attempt {@code next} (2 for the first retry), for a random {@code draw} in [0, 1).
     */
    public Duration delayBefore(int next, double draw) {
        long first = Math.max(1, firstDelay.toMillis());
        long full = Math.max(1, Math.min(maxDelay.toMillis(), first << Math.min(Math.max(0, next - 2), 30)));
        return Duration.ofMillis(full / 2 + (long) (draw * (full - full / 2)));
    }
}
