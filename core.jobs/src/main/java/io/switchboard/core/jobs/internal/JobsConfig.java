package io.switchboard.core.jobs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard jobs")
@interface JobsConfig {
    String PID = "switchboard.jobs";

    @AttributeDefinition(description = "Runs this instance executes at once (its worker threads).")
    int threads() default 8;

    @AttributeDefinition(description = "How often an instance looks for due runs, in milliseconds. Runs due now are started at once "
            + "on the instance that scheduled them and, on PostgreSQL, woken on the others by NOTIFY; the poll catches the rest.")
    long poll_interval_ms() default 5000;

    @AttributeDefinition(description = "PostgreSQL: runs picked in one statement, as a multiple of threads (picked runs wait in "
            + "this instance's queue until a worker is free; another instance takes them over only if this one dies). 4.0 measured "
            + "2,400-2,850 no-op runs/s with 3 instances against 1,740-1,830 with 1.0 (bench/README.md); lower it when runs are long "
            + "and instances many, so that one instance does not hold runs others could start.")
    double fetch_batch() default 4.0;

    @AttributeDefinition(description = "How often a run under way says it is alive, in seconds.")
    int heartbeat_seconds() default 10;

    @AttributeDefinition(description = "Heartbeats a run may miss (at least 4) before another instance takes it over (its instance died): "
            + "a dead instance's runs start again after heartbeat.seconds × missed.heartbeats.")
    int missed_heartbeats() default 4;

    @AttributeDefinition(description = "How long a run whose type is not installed waits before it looks again, in seconds "
            + "(it is due at once when the type is registered; in an instance's first two minutes it first goes back once at its own time).")
    int missing_type_wait_seconds() default 60;

    @AttributeDefinition(description = "How often the runs of an account that needs re-consent look again, in minutes "
            + "(they are due at once when the account is released).")
    int held_recheck_minutes() default 60;
}
