package io.switchboard.itest;

import io.switchboard.itest.support.ProbeBundle;
import io.switchboard.itest.support.ProbeRuns;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.testkit.db.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs benchmark ({@code bench/jobs.sh}; never part of the suite: it runs only with
 * {@code -Dbench.jobs=true}). Instances of the shipped jar with the job probe on one PostgreSQL:
 * <ul>
 *   <li>throughput: after a warm-up of 4,000 no-op runs per instance, {@code bench.runs} no-op runs due at once,
 *   from their commit until the last is done;</li>
 *   <li>commit-to-start latency: one run at a time, inserted and NOTIFY'd as {@code Jobs.schedule} does
 *   on another instance, until the probe logs its start (200 samples; p50, p99).</li>
 * </ul>
 * 1 and 3 instances alternate (1, 3, 3, 1, …) so that the machine's drift hits both alike.
 */
@EnabledIfSystemProperty(named = "bench.jobs", matches = "true")
class JobsBench {
    @TempDir
    Path tmp;

    @Test
    void throughputAndLatency() throws Exception {
        int runs = Integer.getInteger("bench.runs", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 2);
        int threads = Integer.getInteger("bench.threads", 8);
        List<String> batches = List.of(System.getProperty("bench.fetch.batch", "4.0").split(","));
        List<String> lines = new ArrayList<>();
        lines.add("| instances | threads each | fetch.batch | runs | seconds | runs/s | latency p50 | latency p99 |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (int round = 0; round < rounds; round++) {
            for (int instances : round % 2 == 0 ? new int[] {1, 3} : new int[] {3, 1}) {
                List<String> order = new ArrayList<>(batches);
                java.util.Collections.rotate(order, round); // alternating, so the machine's drift hits each alike
                for (String batch : order) {
                    lines.add(measure(instances, threads, batch, runs, round));
                    System.out.println(lines.get(lines.size() - 1));
                }
            }
        }
        String table = String.join("\n", lines) + "\n";
        Files.writeString(Path.of(System.getProperty("bench.out", "target/jobs-bench.md")), table);
        System.out.println(table);
    }

    /** No-op runs each instance does before the measure (the JIT's work is not the scheduler's throughput). */
    private static final int WARMUP_RUNS = 4000;

    private String measure(int instances, int threads, String batch, int runs, int round) throws Exception {
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Map<String, String> env = ProbeRuns.env(db, "bench");
        List<RunningServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                Path home = tmp.resolve("r" + round + "-n" + instances + "-b" + batch + "-" + i);
                Files.createDirectories(home.resolve("etc"));
                Files.writeString(home.resolve("etc/switchboard.jobs.cfg"), "threads=" + threads + "\nfetch.batch=" + batch + "\n");
                ProbeBundle.buildJobs(Files.createDirectories(home.resolve("deploy")).resolve("probe-jobs.jar"), "1.0.0");
                servers.add(RunningServer.start(home, env));
            }
            for (RunningServer s : servers) {
                s.awaitHealthy(Duration.ofSeconds(120));
            }
            try (Connection c = db.connect()) {
                ProbeRuns.awaitTable(c, Duration.ofSeconds(120));
                Thread.sleep(2000); // every instance's job type registered
                // steady state, not three JVMs compiling on two cores: every instance runs a few thousand first
                drain(c, "warmup", WARMUP_RUNS * instances);
                double seconds = drain(c, "noop", runs);
                long[] latencies = new long[200];
                for (int i = 0; i < latencies.length; i++) {
                    Instant committed = ProbeRuns.insert(c, "latency-" + i, 1, "{}", n -> Instant.now());
                    Instant start = awaitStart(c, "latency-" + i + "-0");
                    latencies[i] = Duration.between(committed, start).toMillis();
                }
                Arrays.sort(latencies);
                return String.format("| %d | %d | %s | %d | %.1f | %.0f | %d ms | %d ms |", instances, threads, batch, runs, seconds, runs / seconds,
                        latencies[latencies.length / 2], latencies[latencies.length * 99 / 100]);
            }
        } finally {
            for (RunningServer s : servers) {
                s.close();
            }
        }
    }

    /** Inserts {@code runs} no-op runs due now and returns the seconds from their commit until all are done. */
    private static double drain(Connection c, String prefix, int runs) throws Exception {
        ProbeRuns.insert(c, prefix, runs, "{\"noop\":true}", i -> Instant.now());
        long started = System.nanoTime();
        while (ProbeRuns.count(c, ProbeRuns.PROBE_RUNS_LEFT) > 0) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static Instant awaitStart(Connection c, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT started_at FROM itest_attempt WHERE job_key = ?")) {
            s.setString(1, key);
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return r.getTimestamp(1).toInstant();
                    }
                }
                Thread.sleep(2);
            }
        }
        throw new AssertionError("run " + key + " did not start within 30 s");
    }
}
