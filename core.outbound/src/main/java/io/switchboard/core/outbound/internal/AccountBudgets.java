package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.connector.OutboundBudget;
import io.switchboard.core.api.ProblemException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
    private final Map<String, Places> inFlight = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /** An account's places for calls at once: {@code size} of them, {@code free} now. */
    private record Places(Semaphore free, int size) {}

    /** A call's place among an account's calls at once; closing it frees the place. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a place among the account's calls at once ({@link OutboundBudget#concurrent()}),
     * waiting up to {@code wait} for one.
     *
     * @throws ProblemException 429 {@code rate-limited} with {@code Retry-After: 1} when none came free in time
     */
    Slot hold(String accountId, OutboundBudget budget, Duration wait) {
        if (budget == null || budget.concurrent() <= 0) {
            return () -> { };
        }
        Semaphore places = inFlight.computeIfAbsent(accountId, k -> new Places(new Semaphore(budget.concurrent()), budget.concurrent())).free();
        try {
            if (!places.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ProblemException(429, "rate-limited", "Too Many Requests",
                        "the provider takes at most " + budget.concurrent() + " calls at once for this account; retry shortly")
                        .withHeader("Retry-After", "1");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "unavailable", "Service Unavailable", "interrupted while waiting for the account's calls");
        }
        return places::release;
    }

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
        // an account with no call under way loses its places (a call that fetched them just before
        // can, once, go beside a call on new ones: one beyond the limit, which the provider refuses)
        inFlight.values().removeIf(p -> p.free().availablePermits() == p.size());
    }

    int tracked() {
        return windows.size();
    }
}
