package io.switchboard.core.api.util;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A reading reused for a while, so that something polled (a health probe, a gauge over a table
 * scraped by Prometheus) does not repeat a costly read on every call.
 *
 * @param <T> the reading
 */
public final class Recent<T> {
    private final long ttlNanos;
    private final Predicate<? super T> reusable;
    private volatile T last;
    private volatile long lastAt;

    /** Every reading is reused for {@code ttl}. */
    public Recent(Duration ttl) {
        this(ttl, value -> true);
    }

    /** Readings that pass {@code reusable} are reused for {@code ttl}; the others are read again at the next call. */
    public Recent(Duration ttl, Predicate<? super T> reusable) {
        this.ttlNanos = ttl.toNanos();
        this.reusable = reusable;
    }

    public T get(Supplier<T> read) {
        T cached = last;
        if (cached != null && reusable.test(cached) && System.nanoTime() - lastAt < ttlNanos) {
            return cached;
        }
        T now = read.get();
        last = now;
        lastAt = System.nanoTime();
        return now;
    }
}
