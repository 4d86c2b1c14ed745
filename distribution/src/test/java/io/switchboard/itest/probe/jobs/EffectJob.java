package io.switchboard.itest.probe.jobs;

import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The job type of the durability tests, shipped in a bundle of its own (built by {@code ProbeBundle}
 * and dropped into {@code deploy/}): each run logs its attempt, works for {@code data.millis}
 * without a database connection (as a provider call would), then writes its side effect once,
 * keyed by the run's idempotency key, so a second delivery after a crash finds it done. With
 * {@code data.noop} it does nothing at all (the benchmark of the scheduler itself).
 */
@Component(service = JobType.class)
public class EffectJob implements JobType {
    public static final String NAME = "itest.effect";
    private final DataSource db;

    @Activate
    public EffectJob(@Reference(target = "(&(osgi.jndi.service.name=switchboard)(switchboard.schemas=itest_effect))") DataSource db) {
        this.db = db;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(JobContext job) throws Exception {
        if (Boolean.TRUE.equals(job.data().get("noop"))) {
            return; // the benchmark's no-op run: only the scheduler's own work
        }
        String worker = ProcessHandle.current().pid() + "/" + FrameworkUtil.getBundle(EffectJob.class).getVersion();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO itest_attempt (job_key, worker, started_at) VALUES (?, ?, ?)")) {
            c.setAutoCommit(true);
            s.setString(1, job.key());
            s.setString(2, worker);
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            s.executeUpdate();
        }
        if (job.data().get("millis") instanceof Number millis) {
            Thread.sleep(millis.longValue());
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement seen = c.prepareStatement("SELECT 1 FROM itest_effect WHERE job_key = ?")) {
                seen.setString(1, job.key());
                try (ResultSet r = seen.executeQuery()) {
                    if (r.next()) {
                        return; // done by an earlier delivery
                    }
                }
            }
            try (PreparedStatement effect = c.prepareStatement("INSERT INTO itest_effect (job_key, worker, done_at) VALUES (?, ?, ?)")) {
                effect.setString(1, job.key());
                effect.setString(2, worker);
                effect.setTimestamp(3, Timestamp.from(Instant.now()));
                effect.executeUpdate(); // a racing delivery fails on the key and finds the row when retried
            }
        }
    }
}
