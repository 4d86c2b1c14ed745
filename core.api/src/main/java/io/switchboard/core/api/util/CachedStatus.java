package io.switchboard.core.api.util;

import io.switchboard.core.api.HealthCheck;
import java.util.function.Supplier;

/**
 * Reuses a {@link HealthCheck.Status} for a while, so a polled (or hammered) {@code /health} does
 * not repeat a costly probe on every request. Only an "up" result is reused: a part that is down
 * is probed again at every call, so recovery shows at once.
 */
public final class CachedStatus {
    private final Recent<HealthCheck.Status> recent;

    public CachedStatus(java.time.Duration ttl) {
        this.recent = new Recent<>(ttl, HealthCheck.Status::up);
    }

    public HealthCheck.Status get(Supplier<HealthCheck.Status> probe) {
        return recent.get(probe);
    }
}
