package io.switchboard.core.proxy.internal;

import io.switchboard.core.api.connector.OutboundBudget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-account outbound budgets declared by connectors (e.g. HubSpot: 100 requests per 10 s),
 * counted per instance in fixed windows. A spent budget answers without calling upstream.
 */
final class Budgets {
    private static final class Window {
        long start;
        int used;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @return 0 when the call may go, else the milliseconds until the window reopens */
    long acquire(String accountId, OutboundBudget budget, long nowMillis) {
        if (budget == null) {
            return 0;
        }
        Window w = windows.computeIfAbsent(accountId, k -> new Window());
        long length = budget.window().toMillis();
        synchronized (w) {
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
}
