package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.connector.OutboundBudget;
import io.switchboard.core.tokens.api.CallBudgets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/** Fixed windows per account, in memory; windows idle for longer than their length are dropped now and then. */
@Component(service = CallBudgets.class)
public class CallBudgetsService implements CallBudgets {
    private static final class Window {
        long start;
        long length;
        int used;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    @Override
    public long acquire(String accountId, OutboundBudget budget) {
        return acquire(accountId, budget, System.currentTimeMillis());
    }

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
