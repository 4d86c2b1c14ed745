package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.connector.OutboundBudget;
import io.switchboard.core.api.ProblemException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outbound budgets connectors declare per account (e.g. HubSpot: 100 requests per 10 s),
 * shared by every call for an account (the proxy's and the unified APIs'), counted per server
 * instance in fixed windows, in memory; windows idle for longer than their length are dropped
 * now and then. A spent budget is answered without calling the provider.
 */
final class AccountBudgets {
    private static final class Window {
        long start;
        long length;
        int used;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /**
     * Takes one call from the account's budget, or refuses the call.
     *
     * @param budget the connector's budget, or {@code null} for none
     * @throws ProblemException 429 {@code rate-limited} with {@code Retry-After} when the budget is spent
     */
    void spend(String accountId, OutboundBudget budget) {
        long wait = acquire(accountId, budget, System.currentTimeMillis());
        if (wait > 0) {
            throw new ProblemException(429, "rate-limited", "Too Many Requests",
                    "the connector's request budget for this account is spent; retry later")
                    .withHeader("Retry-After", Long.toString((wait + 999) / 1000));
        }
    }

    /** @return 0 when the call may go, else the milliseconds until the budget's window reopens */

    long acquire(String accountId, OutboundBudget budget, long nowMillis) {
        if (budget == null) {
            return 0;
        }
        sweep(nowMillis);
        Window w = windows.computeIfAbsent(accountId, k -> new Window());
        long length = budget.window().toMillis();
        synchronized (w) {
            w.length = length;
            if (nowMillis - w.start >= length) {
                w.start = nowMillis;
                w.used = 0;
            }
            if (w.used >= budget.requests()) {
                return Math.max(1, w.start + length - nowMillis);
            }
            w.used++;
            return 0;
        }
    }

    private void sweep(long nowMillis) {
        if (nowMillis < nextSweep) {
            return;
        }
        nextSweep = nowMillis + 60_000;
        windows.values().removeIf(w -> {
            synchronized (w) {
                return nowMillis - w.start >= 2 * Math.max(w.length, 1);
            }
        });
    }

    int tracked() {
        return windows.size();
    }
}
