package io.switchboard.core.api.jobs;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of background work, registered as an OSGi service by the bundle that does it (a
 * connector, a core bundle). Types come and go while the server runs: a due run whose type is not
 * registered waits, neither failed nor lost, and runs once the type is back (a connector being
 * upgraded).
 *
 * <p>A run is delivered at least once: after a crash, a run that was under way is started again on
 * another instance, so {@link #run} must be idempotent (the run's {@link JobContext#id()} is a
 * stable key for that). It must not hold a database connection or transaction while it waits on
 * a provider.
 */
@ConsumerType
public interface JobType {

    /** The type's name, unique in the server, e.g. {@code webhooks.deliver}; also the first part of every run's id. */
    String name();

    /**
     * Does one run. Returning normally ends it. An exception fails the attempt: it is retried by
     * {@link #retryPolicy()}, except {@link RetryLater} (run again at its time, all of the
     * account's runs wait as long) and {@link AccountUnusable} (the account's runs wait until
     * {@link Jobs#release} says the account is usable again).
     */
    void run(JobContext job) throws Exception;

    /**
     * At most this many runs of this type that share a {@link #concurrencyKey} run at once, across
     * all instances (a provider's limit per mailbox, say); 0, the default: no limit. A run over the
     * limit waits about a second and tries again, using up no attempt.
     */
    default int concurrencyLimit() {
        return 0;
    }

    /** What the runs that share the limit have in common: by default their account ({@code null}: the limit does not apply). */
    default String concurrencyKey(JobContext job) {
        return job.account();
    }

    /** How failed attempts are retried; {@link RetryPolicy#DEFAULT} unless the type says otherwise. */
    default RetryPolicy retryPolicy() {
        return RetryPolicy.DEFAULT;
    }
}
