package io.switchboard.core.rest.internal;

import io.switchboard.core.api.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bodies read ahead may hold at once (docs/security.md S24): a budget of bytes for all of
 * them together (a quarter of the heap unless configured), a number of unfinished bodies per
 * client address, and smaller limits on paths that need only small bodies (a sign-in takes a
 * few KiB). Without these, a few hundred clients each sending all but the last byte of a 1 MiB
 * body to {@code POST /v1/sessions} filled a 128 MiB heap.
 */
final class BodyBudget {
    private final long capacity;
    private final int perClient;
    private final List<Map.Entry<String, Long>> pathLimits = new ArrayList<>();
    private final AtomicLong used = new AtomicLong();
    private final Map<String, AtomicInteger> unfinished = new ConcurrentHashMap<>();

    /**
     * @param capacity bytes all kept bodies may hold together; 0 or less: a quarter of the heap
     * @param pathLimits {@code /path/prefix=bytes}, the first matching prefix wins
     */
    BodyBudget(long capacity, int perClient, String[] pathLimits) {
        this.capacity = capacity > 0 ? capacity : Runtime.getRuntime().maxMemory() / 4;
        this.perClient = Math.max(1, perClient);
        for (String entry : pathLimits) {
            int eq = entry.lastIndexOf('=');
            if (eq > 0) {
                this.pathLimits.add(Map.entry(entry.substring(0, eq).trim(), Long.parseLong(entry.substring(eq + 1).trim())));
            }
        }
    }

    /** The body limit of a path: its own where one is set and smaller, else the default. */
    long limit(String uri, long defaultLimit) {
        for (Map.Entry<String, Long> limit : pathLimits) {
            if (uri != null && uri.startsWith(limit.getKey())) {
                return Math.min(limit.getValue(), defaultLimit);
            }
        }
        return defaultLimit;
    }

    /**
     * A slot for one more unfinished body of {@code client}.
     *
     * @throws ProblemException 429 when the client already sends as many bodies as it may
     */
    Slot open(String client) {
        AtomicInteger count = unfinished.computeIfAbsent(client, c -> new AtomicInteger());
        if (count.incrementAndGet() > perClient) {
            release(client, count);
            throw new ProblemException(429, "too-many-unfinished-bodies", "Too Many Requests",
                    "this client is already sending " + perClient + " request bodies; finish those first")
                    .withHeader("Retry-After", "1");
        }
        return new Slot(client, count);
    }

    private void release(String client, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            unfinished.remove(client, count);
        }
    }

    /** Bytes kept now by all bodies (for tests and metrics). */
    long used() {
        return used.get();
    }

    /** One body's share: the bytes it keeps and its place among its client's unfinished bodies. */
    final class Slot {
        private final String client;
        private final AtomicInteger count;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean received = new AtomicBoolean();
        private long held;

        private Slot(String client, AtomicInteger count) {
            this.client = client;
            this.count = count;
        }

        /**
         * Takes {@code bytes} more from the budget.
         *
         * @throws ProblemException 503 with {@code Retry-After} when the budget is spent
         */
        synchronized void reserve(long bytes) {
            if (used.addAndGet(bytes) > capacity) {
                used.addAndGet(-bytes);
                throw new ProblemException(503, "busy", "Service Unavailable",
                        "the server is receiving too many request bodies at once; retry shortly").withHeader("Retry-After", "1");
            }
            held += bytes;
        }

        /** The whole body arrived: it no longer counts among its client's unfinished bodies (its bytes still do). */
        void received() {
            if (received.compareAndSet(false, true)) {
                release(client, count);
            }
        }

        /** Gives everything back (once; later calls do nothing). */
        void close() {
            if (closed.compareAndSet(false, true)) {
                synchronized (this) {
                    used.addAndGet(-held);
                    held = 0;
                }
                received();
            }
        }
    }
}
