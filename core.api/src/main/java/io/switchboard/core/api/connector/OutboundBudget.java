package io.switchboard.core.api.connector;

import java.time.Duration;

/**
 * At most {@code requests} calls per account in any {@code window}, and, when {@code concurrent}
 * is above 0, at most that many of the unified APIs' calls for one account at once on one server
 * (Microsoft Graph: 4 per mailbox; a fifth is refused with 429 {@code ApplicationThrottled}).
 */
public record OutboundBudget(int requests, Duration window, int concurrent) {
    public OutboundBudget {
        if (requests < 1 || window == null || window.isNegative() || window.isZero() || concurrent < 0) {
            throw new IllegalArgumentException("a budget needs requests >= 1, a positive window and concurrent >= 0");
        }
    }

    /** A budget without a limit on calls at once (the members of connector API 2.1). */
    public OutboundBudget(int requests, Duration window) {
        this(requests, window, 0);
    }

    /**
     * A budget as configuration states it: {@code requests} per {@code windowSeconds} (at least 1),
     * or {@code null}, no budget, when {@code requests} is 0 or less.
     */
    public static OutboundBudget configured(int requests, int windowSeconds) {
        return requests > 0 ? new OutboundBudget(requests, Duration.ofSeconds(Math.max(1, windowSeconds))) : null;
    }

    /** This budget with at most {@code calls} calls at once per account. */
    public OutboundBudget withConcurrent(int calls) {
        return new OutboundBudget(requests, window, calls);
    }
}
