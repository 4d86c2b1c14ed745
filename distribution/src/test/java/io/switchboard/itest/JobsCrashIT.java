package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.itest.probe.jobs.EffectJob;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's crash test: three instances of the shipped jar on one PostgreSQL run 10,000 runs of a
 * job whose side effect is an insert keyed by the run's idempotency key (the probe bundle's
 * {@link EffectJob}, 600 ms of work each, as a provider call, so that every kill meets runs under way); every 20 s one instance is killed
 * with {@code kill -9}, ten times, and started again. Every run completes, none is lost or dead,
 * no side effect is duplicated, and the runs a killed instance had under way are taken over by
 * the others within db-scheduler's bound (heartbeat × missed heartbeats, here 2 s × 4) plus a poll.
 */
class JobsCrashIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final int RUNS = 10_000;
    private static final int KILLS = 10;
    private static final Duration BETWEEN_KILLS = Duration.ofSeconds(20);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(2 * 4);

    @TempDir
    Path tmp;

    @Test
    void tenKillsOfOneInstanceOutOfThreeLoseAndDuplicateNothing() throws Exception {
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Map<String, String> env = ProbeRuns.env(db, "crash");
        List<Path> homes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path home = tmp.resolve("instance-" + i);
            Files.createDirectories(home.resolve("etc"));
            Files.writeString(home.resolve("etc/switchboard.jobs.cfg"),
                    "threads=8\npoll.interval.ms=1000\nheartbeat.seconds=2\nmissed.heartbeats=4\n");
            ProbeBundle.buildJobs(Files.createDirectories(home.resolve("deploy")).resolve("probe-jobs.jar"), "1.0.0");
            homes.add(home);
        }
        List<RunningServer> servers = new ArrayList<>();
        Map<Long, Instant> killedAt = new HashMap<>();
        try {
            for (Path home : homes) {
                servers.add(RunningServer.start(home, env));
            }
            for (RunningServer s : servers) {
                s.awaitHealthy(START);
            }
            try (Connection c = db.connect()) {
                ProbeRuns.awaitTable(c, START);
                // due one millisecond apart, all in the past, as runs scheduled over a while are: a run a killed
                // instance had under way keeps its due time and so comes before the runs due after it
                Instant first = Instant.now().minusMillis(RUNS);
                ProbeRuns.insert(c, "crash", RUNS, "{\"millis\":600}", first::plusMillis);
            }
            List<Duration> releases = new ArrayList<>();
            try (Connection watch = db.connect()) {
                for (int kill = 0; kill < KILLS; kill++) {
                    long cycle = System.nanoTime();
                    Thread.sleep(BETWEEN_KILLS.toMillis());
                    int victim = kill % servers.size();
                    RunningServer dying = servers.get(victim);
                    long pid = dying.pid();
                    long held = ProbeRuns.count(watch, "SELECT COUNT(*) FROM job_execution WHERE picked AND picked_by LIKE '" + pid + "@%'");
                    Instant killed = Instant.now();
                    killedAt.put(pid, killed);
                    dying.kill();
                    servers.set(victim, RunningServer.start(homes.get(victim), env));
                    // The dead instance's runs are released (made due again) by the survivors.
                    while (ProbeRuns.count(watch, "SELECT COUNT(*) FROM job_execution WHERE picked AND picked_by LIKE '" + pid + "@%'") > 0) {
                        assertThat(Duration.between(killed, Instant.now())).as("runs of killed instance " + pid + " released")
                                .isLessThan(Duration.ofMinutes(2));
                        Thread.sleep(100);
                    }
                    releases.add(Duration.between(killed, Instant.now()));
                    System.out.printf("kill %d: instance %d had %d runs picked; released after %d ms%n", kill + 1, pid, held,
                            releases.get(releases.size() - 1).toMillis());
                }
            }
            Duration slowestRelease = releases.stream().max(Duration::compareTo).orElseThrow();
            try (Connection c = db.connect()) {
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (ProbeRuns.count(c, "SELECT COUNT(*) FROM itest_effect") < RUNS || ProbeRuns.count(c, ProbeRuns.PROBE_RUNS_LEFT) > 0) {
                    assertThat(System.nanoTime()).as("every run done within 10 minutes; done: "
                            + ProbeRuns.count(c, "SELECT COUNT(*) FROM itest_effect")).isLessThan(deadline);
                    Thread.sleep(500);
                }
                assertThat(ProbeRuns.count(c, "SELECT COUNT(*) FROM itest_effect")).as("side effects").isEqualTo(RUNS);
                assertThat(ProbeRuns.count(c, "SELECT COUNT(DISTINCT job_key) FROM itest_effect")).as("distinct side effects").isEqualTo(RUNS);
                assertThat(ProbeRuns.count(c, "SELECT COUNT(*) FROM job_dead")).as("dead runs").isZero();
                long attempts = ProbeRuns.count(c, "SELECT COUNT(*) FROM itest_attempt");
                assertThat(attempts).as("at least once").isGreaterThanOrEqualTo(RUNS);
                Duration longest = longestTakeover(c, killedAt);
                System.out.printf("crash test: %d runs, %d attempts (%d started again after a kill), %d kills, slowest release %d ms, "
                        + "longest from a kill to the next start of an interrupted run %d ms%n",
                        RUNS, attempts, attempts - RUNS, KILLS, slowestRelease.toMillis(), longest.toMillis());
                assertThat(attempts).as("runs under way at a kill were started again").isGreaterThan(RUNS);
                // db-scheduler's bound for a dead execution, plus its detection interval and a loaded machine's delays
                assertThat(slowestRelease).as("a killed instance's runs released").isLessThan(DEAD_AFTER.plus(Duration.ofSeconds(15)));
                assertThat(longest).as("an interrupted run started again").isLessThan(DEAD_AFTER.plus(Duration.ofSeconds(15)));
            }
        } finally {
            for (RunningServer s : servers) {
                s.close();
            }
            printJobLines(homes);
        }
    }

    /** The instances' log lines about jobs (starts, types, releases, warnings), for a failure's reader. */
    private static void printJobLines(List<Path> homes) throws java.io.IOException {
        for (Path home : homes) {
            try (var logs = Files.list(home)) {
                for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("server-")).sorted().toList()) {
                    Files.readAllLines(log).stream()
                            .filter(l -> l.contains("Jobs started") || l.contains("not registered") || l.contains("WARN") || l.contains("ERROR")
                                    || l.contains("due again"))
                            .limit(60).forEach(l -> System.out.println(home.getFileName() + "/" + log.getFileName() + ": " + l));
                }
            }
        }
    }

    /**
     * For every run started again after a kill: from the kill to its next start on another
     * instance. The longest of these.
     */
    private static Duration longestTakeover(Connection c, Map<Long, Instant> killedAt) throws Exception {
        Map<String, List<Object[]>> byKey = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT job_key, worker, started_at FROM itest_attempt WHERE job_key IN "
                + "(SELECT job_key FROM itest_attempt GROUP BY job_key HAVING COUNT(*) > 1) ORDER BY started_at");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                byKey.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                        .add(new Object[] {Long.parseLong(r.getString(2).split("/")[0]), r.getTimestamp(3).toInstant()});
            }
        }
        Duration longest = Duration.ZERO;
        for (List<Object[]> attempts : byKey.values()) {
            for (int i = 0; i + 1 < attempts.size(); i++) {
                Instant kill = killedAt.get((Long) attempts.get(i)[0]);
                if (kill != null && kill.isAfter((Instant) attempts.get(i)[1])) {
                    Duration takeover = Duration.between(kill, (Instant) attempts.get(i + 1)[1]);
                    if (takeover.compareTo(longest) > 0) {
                        longest = takeover;
                        StringBuilder trail = new StringBuilder();
                        attempts.forEach(a -> trail.append(' ').append(a[0]).append('@').append(a[1]));
                        System.out.printf("slowest so far: %s killed at %s, attempts%s%n", attempts.get(i)[0], kill, trail);
                    }
                }
            }
        }
        return longest;
    }
}
