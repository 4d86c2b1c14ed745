package io.switchboard.core.api.util;

import io.switchboard.core.api.HealthCheck;
import java.util.function.Supplier;

/**
 * Reuses a {@link HealthCheck.Status} for a while, so a polled (or hammered) {@code /health} does
 * not repeat a costly probe on every request. Only an "up" result is reused: a part that is down
 * is probed again at every call, so recovery shows at once.
 */
public final class CachedStatus {
    private final long ttlNanos;
    private volatile HealthCheck.Status last;
    private volatile long lastAt;

    public CachedStatus(java.time.Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    public HealthCheck.Status get(Supplier<HealthCheck.Status> probe) {
        HealthCheck.Status cached = last;
        if (cached != null && cached.up() && System.nanoTime() - lastAt < ttlNanos) {
            return cached;
        }
        HealthCheck.Status now = probe.get();
        last = now;
        lastAt = System.nanoTime();
        return now;
    }
}
