package io.switchboard.core.api.connector;

import java.time.Duration;

/** At most {@code requests} calls per account in any {@code window}. */
public record OutboundBudget(int requests, Duration window) {
    public OutboundBudget {
        if (requests < 1 || window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a budget needs requests >= 1 and a positive window");
        }
    }

    /**
     * A budget as configuration states it: {@code requests} per {@code windowSeconds} (at least 1),
     * or {@code null}, no budget, when {@code requests} is 0 or less.
     */
    public static OutboundBudget configured(int requests, int windowSeconds) {
        return requests > 0 ? new OutboundBudget(requests, Duration.ofSeconds(Math.max(1, windowSeconds))) : null;
    }
}
