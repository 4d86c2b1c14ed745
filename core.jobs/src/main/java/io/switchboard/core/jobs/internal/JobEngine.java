package io.switchboard.core.jobs.internal;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.store.api.SqlTx;
import io.switchboard.core.store.api.Store;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.persistence.EntityManager;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Jobs} service: db-scheduler (embedded, on the Switchboard database) runs every run
 * as one task, {@value #TASK}, whose data names the {@link JobType}; types are the OSGi services
 * registered now. db-scheduler picks due runs with {@code SELECT … FOR UPDATE SKIP LOCKED} on
 * PostgreSQL (optimistic versions on H2), keeps a heartbeat on runs under way and starts a dead
 * instance's runs again on another; {@link RunHandler} decides retries, pauses and deaths.
 */
@Designate(ocd = JobsConfig.class)
@Component(service = {Jobs.class, JobEngine.class}, configurationPid = JobsConfig.PID)
public class JobEngine implements Jobs {
    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);
    static final String TASK = "job";

    private final Map<String, JobType> types = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final JobRows rows;
    private final JobMeters meters;
    private final Scheduler scheduler;
    private final DataSource dataSource;
    private final boolean postgres;
    private final int threads;
    private volatile Wakeups wakeups;
    private volatile boolean started;
    private boolean stopped;
    private boolean paused;
    static final long PAUSE_MILLIS = 2000;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-jobs-wake");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public JobEngine(@Reference(target = "(&(" + "osgi.jndi.service.name=" + Store.DATA_SOURCE_NAME + ")(" + Store.SCHEMAS_PROPERTY
                             + "=jobs))") DataSource dataSource,
                     @Reference Store store, @Reference MeterRegistry registry, JobsConfig config) {
        this.dataSource = dataSource;
        this.threads = config.threads();
        this.rows = new JobRows(dataSource);
        this.meters = new JobMeters(registry, rows);
        String instance = instanceName();
        int released = rows.releasePicked(instance);
        if (released > 0) {
            LOG.info("{} runs picked by this instance's previous scheduler are due again", released);
        }
        RunHandler handler = new RunHandler(types::get, rows, clock, Duration.ofSeconds(Math.max(1, config.missing_type_wait_seconds())),
                Duration.ofMinutes(Math.max(1, config.held_recheck_minutes())), meters, this::pauseBriefly, this::lookAgainAt);
        List<Task<?>> tasks = List.of(Tasks.custom(TASK, String.class)
                // only for what RunHandler could not decide (its data unreadable, the database gone mid-run)
                .onFailure((complete, operations) -> operations.reschedule(complete, clock.instant().plus(Duration.ofMinutes(5))))
                // A run whose instance died is due again at its own time, not now: it keeps its place before the
                // runs that became due after it (db-scheduler's default puts it behind the whole backlog).
                .onDeadExecution((complete, operations) -> operations.reschedule(complete, complete.getExecution().executionTime))
                .execute(handler));
        SchedulerBuilder builder = Scheduler.create(dataSource, tasks)
                .tableName("job_execution")
                .serializer(new TextSerializer())
                .threads(Math.max(1, config.threads()))
                .pollingInterval(Duration.ofMillis(Math.max(100, config.poll_interval_ms())))
                .heartbeatInterval(Duration.ofSeconds(Math.max(1, config.heartbeat_seconds())))
                .missedHeartbeatsLimit(Math.max(4, config.missed_heartbeats())) // db-scheduler needs at least 4
                .schedulerName(new SchedulerName.Fixed(instance))
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                .shutdownMaxWait(Duration.ofSeconds(10));
        this.postgres = store.dialect() == Store.Dialect.POSTGRESQL;
        if (postgres) {
            double batch = Math.max(0.5, Math.min(10, config.fetch_batch()));
            builder.pollUsingLockAndFetch(batch / 2, batch); // pick again when half the batch is left
        }
        this.scheduler = builder.build();
    }

    /** Starts picking runs, now that the job types present are bound (SCR binds them before this). */
    @Activate
    void start() {
        startPicking();
    }

    /**
     * While this instance starts, a run whose type is not registered here yet goes back to the
     * queue at its own time (another instance may have the type) and this instance stops picking
     * for {@value #PAUSE_MILLIS} ms, or until a type arrives: it does not take the queue's oldest
     * runs only to give them back behind everything due since.
     */
    synchronized void pauseBriefly() {
        if (started && !paused && !stopped) {
            scheduler.pause();
            paused = true;
            delayed.schedule(this::resume, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void resume() {
        if (paused && !stopped) {
            scheduler.resume();
            paused = false;
        }
    }

    private synchronized void startPicking() {
        if (started || stopped) {
            return;
        }
        scheduler.start();
        this.wakeups = postgres ? new Wakeups(dataSource, scheduler::triggerCheckForDueExecutions) : null;
        started = true;
        types.keySet().forEach(this::wakeWaitingFor);
        LOG.info("Jobs started ({} workers, {} types, {} wake-ups)", threads, types.size(), postgres ? "LISTEN/NOTIFY" : "local");
    }

    @Deactivate
    synchronized void stop() {
        stopped = true;
        if (wakeups != null) {
            wakeups.close();
        }
        delayed.shutdownNow();
        if (started) {
            scheduler.stop(); // runs under way finish (up to shutdownMaxWait); the rest stay scheduled
        }
        meters.close();
    }

    @Reference(service = JobType.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addType(JobType type) {
        types.put(type.name(), type);
        if (started) {
            resume(); // a type arrived: whatever this instance put back may be its
            wakeWaitingFor(type.name());
            // A run picked just before a late type arrived may still be on its way back to "waiting" (due in
            // missing.type.wait.seconds): look again once it has landed.
            for (long delay : new long[] {1, 5}) {
                delayed.schedule(() -> wakeWaitingFor(type.name()), delay, TimeUnit.SECONDS);
            }
        }
    }

    void removeType(JobType type) {
        types.remove(type.name(), type);
    }

    @Override
    public boolean schedule(JobRequest request) {
        Payload run = Payload.of(request);
        Instant now = clock.instant();
        Instant at = due(request, now);
        boolean created = scheduler.scheduleIfNotExists(new TaskInstance<>(TASK, run.id(), run.write()), at);
        if (created && !at.isAfter(now)) {
            wake();
        }
        return created;
    }

    @Override
    public boolean schedule(EntityManager tx, JobRequest request) {
        return schedule(SqlTx.of(tx), request);
    }

    @Override
    public boolean schedule(Connection tx, JobRequest request) {
        return schedule(SqlTx.of(tx), request);
    }

    private boolean schedule(SqlTx tx, JobRequest request) {
        Payload run = Payload.of(request);
        Instant now = clock.instant();
        Instant at = due(request, now);
        // db-scheduler's row, as its own insert writes it, on the caller's connection
        int inserted = tx.update("INSERT INTO job_execution (task_name, task_instance, task_data, execution_time, picked, version) "
                        + "SELECT ?, ?, ?, ?, FALSE, 1 WHERE NOT EXISTS (SELECT 1 FROM job_execution WHERE task_name = ? AND task_instance = ?)",
                TASK, run.id(), run.write().getBytes(StandardCharsets.UTF_8), Timestamp.from(at), TASK, run.id());
        if (inserted > 0 && !at.isAfter(now)) {
            if (postgres) {
                tx.rows("SELECT pg_notify('" + Wakeups.CHANNEL + "', '')"); // sent at the commit
            } else {
                // H2 (one instance): the caller commits in a moment; look then instead of at the next poll
                for (long delay : new long[] {50, 250, 1000}) {
                    delayed.schedule(scheduler::triggerCheckForDueExecutions, delay, TimeUnit.MILLISECONDS);
                }
            }
        }
        return inserted > 0;
    }

    /** When a request is due: its time, or now when it has none or it has passed. */
    private static Instant due(JobRequest request, Instant now) {
        return request.at() == null || request.at().isBefore(now) ? now : request.at();
    }

    @Override
    public boolean cancel(String type, String key) {
        TaskInstanceId id = TaskInstanceId.of(TASK, Payload.id(type, key));
        if (scheduler.getScheduledExecution(id).isEmpty()) {
            return false;
        }
        try {
            scheduler.cancel(id);
            return true;
        } catch (RuntimeException underWayOrGone) {
            return false;
        }
    }

    @Override
    public void release(String account) {
        rows.release(account);
        dueNow(run -> account.equals(run.account()));
    }

    /** Runs scheduled now, not under way, matching {@code which}, with their data. */
    List<ScheduledExecution<String>> scheduled(Predicate<Payload> which, int limit) {
        List<ScheduledExecution<String>> out = new ArrayList<>();
        scheduler.fetchScheduledExecutionsForTask(TASK, String.class, ScheduledExecutionsFilter.all(), e -> {
            if (out.size() < limit && which.test(Payload.read(e.getData()))) {
                out.add(e);
            }
        });
        return out;
    }

    JobRows rows() {
        return rows;
    }

    /** Schedules a dead run again, from its first attempt ({@code app}: only if it is that app's). */
    boolean retryDead(String id, String app) {
        return rows.deadRun(id).filter(dead -> app == null || app.equals(dead.app())).map(dead -> {
            Payload run = Payload.read(dead.payload()).attempt(1);
            scheduler.scheduleIfNotExists(new TaskInstance<>(TASK, run.id(), run.write()), clock.instant());
            rows.forgetDead(id);
            wake();
            return true;
        }).orElse(false);
    }

    private void wakeWaitingFor(String type) {
        dueNow(run -> run.type().equals(type) && run.waitingForType());
    }

    private void dueNow(Predicate<Payload> which) {
        Instant now = clock.instant();
        int moved = 0;
        for (ScheduledExecution<String> e : scheduled(which, Integer.MAX_VALUE)) {
            if (!e.isPicked() && e.getExecutionTime().isAfter(now) && scheduler.reschedule(e.getTaskInstance(), now)) {
                moved++;
            }
        }
        if (moved > 0) {
            wake();
        }
    }

    /** This instance looks for due runs at {@code when} (a run held back by its concurrency limit is due then), not at the next poll. */
    private void lookAgainAt(Instant when) {
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis()) + 20;
        delayed.schedule(scheduler::triggerCheckForDueExecutions, delay, TimeUnit.MILLISECONDS);
    }

    private void wake() {
        if (wakeups != null) {
            wakeups.wakeAll();
        } else {
            scheduler.triggerCheckForDueExecutions();
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "switchboard";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
