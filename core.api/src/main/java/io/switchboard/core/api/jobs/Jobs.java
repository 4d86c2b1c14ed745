package io.switchboard.core.api.jobs;

import org.osgi.annotation.versioning.ProviderType;

/** Schedules background runs (registered by {@code core.jobs} once its tables are in place). */
@ProviderType
public interface Jobs {

    /**
     * Schedules a run. A run of the same type and key that is already scheduled (or under way)
     * stays as it is: the request is then not scheduled again.
     *
     * @return whether a new run was scheduled
     */
    boolean schedule(JobRequest request);

    /**
     * Schedules a run in the caller's transaction (the {@code EntityManager} of
     * {@code Store.transaction}): it exists only if that transaction commits, and a run due now
     * is then started at once (on PostgreSQL every instance is told at the commit).
     *
     * @return whether a new run was scheduled (an existing one of the same type and key stays as it is)
     */
    boolean schedule(javax.persistence.EntityManager tx, JobRequest request);

    /**
     * Schedules a run in the caller's JDBC transaction (a {@code Connection} on the Switchboard
     * data source, autocommit off), as {@link #schedule(javax.persistence.EntityManager, JobRequest)} does.
     *
     * @since 1.1.0
     */
    boolean schedule(java.sql.Connection tx, JobRequest request);

    /**
     * Cancels a scheduled run (and a recurring one's future runs); a run under way finishes.
     *
     * @return whether there was one
     */
    boolean cancel(String type, String key);

    /** The account is usable again (linked anew): its waiting runs are due now. */
    void release(String account);
}
