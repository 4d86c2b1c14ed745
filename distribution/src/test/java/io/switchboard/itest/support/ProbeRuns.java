package io.switchboard.itest.support;

import io.switchboard.itest.probe.jobs.EffectJob;
import io.switchboard.testkit.db.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The job probe's runs for process-level tests and the jobs benchmark: the environment that puts
 * shipped jars on one database, and runs written straight into db-scheduler's table as
 * {@code Jobs.schedule} writes them (no endpoint schedules runs of a test's own type).
 */
public final class ProbeRuns {
    private ProbeRuns() {}

    /** The environment of instances that share {@code db}, sealing with master key {@code keyId}. */
    public static Map<String, String> env(TestDatabases.Db db, String keyId) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_DB_URL", db.url());
        env.put("SWITCHBOARD_DB_USER", db.user() == null ? "" : db.user());
        env.put("SWITCHBOARD_DB_PASSWORD", db.password() == null ? "" : db.password());
        env.put("SWITCHBOARD_MASTER_KEY", SwitchboardTestSupport.masterKey(keyId));
        return env;
    }

    /**
     * Writes {@code n} runs of the probe, keys {@code <prefix>-<i>}, due at {@code due.apply(i)}, and
     * tells every instance (NOTIFY, delivered at the commit) in one transaction.
     *
     * @return when the transaction committed
     */
    public static Instant insert(Connection c, String prefix, int n, String data, IntFunction<Instant> due) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO job_execution (task_name, task_instance, task_data, execution_time, "
                + "picked, version) VALUES ('job', ?, ?, ?, FALSE, 1)")) {
            for (int i = 0; i < n; i++) {
                String key = prefix + "-" + i;
                insert.setString(1, EffectJob.NAME + "/" + key);
                insert.setBytes(2, ("{\"type\":\"" + EffectJob.NAME + "\",\"key\":\"" + key + "\",\"app\":null,\"account\":null,"
                        + "\"data\":" + data + ",\"attempt\":1,\"every\":null,\"waitingForType\":false}").getBytes(StandardCharsets.UTF_8));
                insert.setTimestamp(3, Timestamp.from(due.apply(i)));
                insert.addBatch();
            }
            insert.executeBatch();
            try (Statement s = c.createStatement()) {
                s.execute("NOTIFY switchboard_jobs");
            }
        }
        c.commit();
        Instant committed = Instant.now();
        c.setAutoCommit(true);
        return committed;
    }

    /** Waits for the probe's schema (its bundle started on some instance). */
    public static void awaitTable(Connection c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (ResultSet r = c.getMetaData().getTables(null, null, "itest_effect", null)) {
                if (r.next()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the probe's schema did not appear within " + timeout);
    }

    /**
     * The probe's runs still in db-scheduler's table (scheduled or under way). Only the probe's:
     * the server keeps runs of its own there (a connector check due a minute after start).
     */
    public static final String PROBE_RUNS_LEFT = "SELECT COUNT(*) FROM job_execution WHERE task_instance LIKE '" + EffectJob.NAME + "/%'";

    public static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
