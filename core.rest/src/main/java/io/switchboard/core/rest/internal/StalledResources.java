package io.switchboard.core.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers since when each JAX-RS resource has been registered but not served, and names the
 * ones pending longer than a grace period, each at most once per period. The JAX-RS whiteboard
 * rebuilds the application whenever a resource or extension comes or goes; a start once stayed
 * with one resource registered and never served (the whiteboard lost it in such a rebuild), and
 * registering that resource again (its component disabled and enabled) is what brings it back.
 */
final class StalledResources {
    private final Duration grace;
    private final Map<String, Instant> pendingSince = new HashMap<>();
    private final Map<String, Instant> lastKick = new HashMap<>();

    StalledResources(Duration grace) {
        this.grace = grace;
    }

    /** @param pending the components whose resources are registered but not served now */
    synchronized List<String> stalled(Collection<String> pending, Instant now) {
        pendingSince.keySet().retainAll(pending);
        lastKick.keySet().retainAll(pending);
        List<String> due = new ArrayList<>();
        for (String component : pending) {
            Instant since = pendingSince.computeIfAbsent(component, k -> now);
            Instant kicked = lastKick.get(component);
            if (!now.isBefore(since.plus(grace)) && (kicked == null || !now.isBefore(kicked.plus(grace)))) {
                lastKick.put(component, now);
                due.add(component);
            }
        }
        return due;
    }
}
