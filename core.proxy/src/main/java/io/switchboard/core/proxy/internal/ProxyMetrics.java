package io.switchboard.core.proxy.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/** Calls per connector: count, status classes, latency histogram (milliseconds). Lock-free on the hot path. */
@Component(service = ProxyMetrics.class)
public class ProxyMetrics {
    static final long[] BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    static final class Series {
        final LongAdder count = new LongAdder();
        final LongAdder[] statusClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
        final LongAdder[] buckets = new LongAdder[BUCKETS_MS.length + 1];
        final LongAdder totalMicros = new LongAdder();
        final LongAdder upstreamErrors = new LongAdder();

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    void record(String connectorId, int status, long nanos, boolean upstreamError) {
        Series s = series.computeIfAbsent(connectorId, k -> new Series());
        s.count.increment();
        int cls = status / 100 - 1;
        if (cls >= 0 && cls < 5) {
            s.statusClass[cls].increment();
        }
        long micros = nanos / 1000;
        s.totalMicros.add(micros);
        int b = 0;
        while (b < BUCKETS_MS.length && micros > BUCKETS_MS[b] * 1000) {
            b++;
        }
        s.buckets[b].increment();
        if (upstreamError) {
            s.upstreamErrors.increment();
        }
    }

    Map<String, Object> snapshot() {
        Map<String, Object> out = new TreeMap<>();
        series.forEach((id, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            long count = s.count.sum();
            m.put("count", count);
            Map<String, Long> classes = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                classes.put((i + 1) + "xx", s.statusClass[i].sum());
            }
            m.put("status", classes);
            m.put("upstreamErrors", s.upstreamErrors.sum());
            m.put("meanMillis", count == 0 ? 0.0 : s.totalMicros.sum() / 1000.0 / count);
            Map<String, Long> histogram = new LinkedHashMap<>();
            long cumulative = 0;
            for (int i = 0; i < s.buckets.length; i++) {
                cumulative += s.buckets[i].sum();
                histogram.put(i < BUCKETS_MS.length ? "le" + BUCKETS_MS[i] : "inf", cumulative);
            }
            m.put("latencyMillis", histogram);
            out.put(id, m);
        });
        return out;
    }
}
