package io.switchboard.core.api.connector;

import java.time.Duration;

/** At most {@code requests} calls per account in any {@code window}. */
public record OutboundBudget(int requests, Duration window) {
    public OutboundBudget {
        if (requests < 1 || window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a budget needs requests >= 1 and a positive window");
        }
    }
}
