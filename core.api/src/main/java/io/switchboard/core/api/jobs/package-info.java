/**
 * Background work: a bundle registers {@link io.switchboard.core.api.jobs.JobType} services for
 * the kinds of work it does, and schedules runs of them through the {@link io.switchboard.core.api.jobs.Jobs}
 * service. Runs are kept in the database: they survive restarts and crashes, run on any instance,
 * at least once, and are retried with back-off until they succeed or are declared dead.
 */
@Export
@Version("1.1.0")
package io.switchboard.core.api.jobs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
