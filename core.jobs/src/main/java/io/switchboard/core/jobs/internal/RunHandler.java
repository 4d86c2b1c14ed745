package io.switchboard.core.jobs.internal;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.switchboard.core.api.jobs.AccountUnusable;
import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.RetryLater;
import io.switchboard.core.api.jobs.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one due run and says what becomes of it: removed (done), due again (a recurring run's next
 * time, a retry after back-off, a pause of its account, a type not installed, its type's
 * concurrency limit reached), or dead (its
 * attempts used up: kept in {@code job_dead}). Failures are decided here, never left to
 * db-scheduler, so that the attempt count lives in the run's own data and a pause does not use
 * one up.
 */
final class RunHandler implements ExecutionHandler<String> {
    private static final Logger LOG = LoggerFactory.getLogger(RunHandler.class);
    /** How long after its start an instance may still be waiting for job types to be registered. */
    static final Duration STARTING = Duration.ofMinutes(2);

    private final Function<String, JobType> types;
    private final JobRows rows;
    private final Clock clock;
    private final Duration missingTypeWait;
    private final Instant started;
    private final Runnable pauseBriefly;
    private final Duration heldRecheck;
    private final JobMeters meters;
    private final java.util.function.Consumer<Instant> lookAgainAt;

    /**
     * @param lookAgainAt told when a run held back by its concurrency limit is due again, so that
     *     it starts then rather than at the next poll
     */
    RunHandler(Function<String, JobType> types, JobRows rows, Clock clock, Duration missingTypeWait, Duration heldRecheck, JobMeters meters,
               Runnable pauseBriefly, java.util.function.Consumer<Instant> lookAgainAt) {
        this.pauseBriefly = pauseBriefly;
        this.lookAgainAt = lookAgainAt;
        this.types = types;
        this.meters = meters;
        this.rows = rows;
        this.clock = clock;
        this.missingTypeWait = missingTypeWait;
        this.started = clock.instant();
        this.heldRecheck = heldRecheck;
    }

    private record Context(Payload run, Instant due) implements JobContext {
        @Override
        public String id() {
            return run.id();
        }

        @Override
        public String key() {
            return run.key();
        }

        @Override
        public String account() {
            return run.account();
        }

        @Override
        public String app() {
            return run.app();
        }

        @Override
        public Map<String, Object> data() {
            return run.data();
        }

        @Override
        public int attempt() {
            return run.attempt();
        }
    }

    @Override
    public CompletionHandler<String> execute(TaskInstance<String> instance, ExecutionContext context) {
        Payload run = Payload.read(instance.getData());
        Instant now = clock.instant();
        JobType type = types.apply(run.type());
        if (type == null) {
            if (now.isBefore(started.plus(STARTING)) && !run.waitingForType()) {
                // this instance is still starting (its types arrive with their bundles): the run goes back once at its
                // own time, for an instance that has the type, and this one stops picking for a moment
                pauseBriefly.run();
                return dueAt(context.getExecution().executionTime, run.waiting());
            }
            LOG.info("Job {}: its type is not registered here; due again in {} s", run.id(), missingTypeWait.toSeconds());
            return dueAt(now.plus(missingTypeWait), run.waiting()); // due at once when the type is registered
        }
        if (run.account() != null) {
            Optional<JobRows.Hold> hold = rows.hold(run.account(), now);
            if (hold.isPresent()) {
                return dueAt(hold.get().until() == null ? now.plus(heldRecheck) : hold.get().until(), run);
            }
        }
        Context job = new Context(run, context.getExecution().executionTime);
        String slot = type.concurrencyLimit() > 0 && type.concurrencyKey(job) != null ? type.name() + "|" + type.concurrencyKey(job) : null;
        if (slot != null && !rows.takeSlot(slot, type.concurrencyLimit(), run.id(), now)) {
            Instant again = now.plusMillis(500 + ThreadLocalRandom.current().nextLong(1000)); // over the limit: soon again
            lookAgainAt.accept(again);
            return dueAt(again, run);
        }
        meters.started(run.type(), job.due(), now);
        long started = System.nanoTime();
        String outcome = "retry";
        try {
            type.run(job);
            outcome = "done";
        } catch (RetryLater later) {
            Instant when = clock.instant().plus(later.after());
            if (run.account() != null) {
                rows.hold(run.account(), when, "retry-after");
            }
            return failed(type.retryPolicy(), run, later, when);
        } catch (AccountUnusable unusable) {
            if (run.account() == null) {
                return failed(type.retryPolicy(), run, unusable, null);
            }
            outcome = "held";
            rows.hold(run.account(), null, "reauth-required");
            LOG.info("Job {}: account {} needs its user; its runs wait until it is linked again", run.id(), run.account());
            return dueAt(clock.instant().plus(heldRecheck), run);
        } catch (Exception | LinkageError e) {
            return failed(type.retryPolicy(), run, e, null);
        } finally {
            if (slot != null) {
                rows.releaseSlot(slot, run.id());
            }
            meters.finished(run.type(), outcome.equals("retry") && run.attempt() + 1 > type.retryPolicy().maxAttempts() ? "dead" : outcome,
                    System.nanoTime() - started);
        }
        if (run.every() != null) {
            long every = run.every();
            long jitter = ThreadLocalRandom.current().nextLong(every / 10 + 1);
            return dueAt(clock.instant().plusMillis(every + jitter), run.attempt(1));
        }
        return (complete, operations) -> operations.remove();
    }

    /** A failed attempt: due again after back-off (or at {@code when}), or dead once the policy's attempts are used up. */
    private CompletionHandler<String> failed(RetryPolicy policy, Payload run, Throwable error, Instant when) {
        String reason = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        int next = run.attempt() + 1;
        if (next > policy.maxAttempts()) {
            LOG.warn("Job {} is dead after {} attempts: {}", run.id(), run.attempt(), reason);
            return (complete, operations) -> {
                rows.dead(run, reason, clock.instant());
                operations.remove();
            };
        }
        Instant at = when != null ? when : clock.instant().plus(policy.delayBefore(next, ThreadLocalRandom.current().nextDouble()));
        LOG.info("Job {} attempt {} failed ({}); attempt {} at {}", run.id(), run.attempt(), reason, next, at);
        return dueAt(at, run.attempt(next));
    }

    private static CompletionHandler<String> dueAt(Instant when, Payload run) {
        String data = run.write();
        return (complete, operations) -> operations.reschedule(complete, when, data);
    }
}
