package io.switchboard.core.api.jobs;

import java.time.Instant;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** One run of a job, as its {@link JobType} sees it. */
@ProviderType
public interface JobContext {

    /** The run's id, {@code <type>/<key>}: stable across attempts and instances, a key for idempotent side effects. */
    String id();

    /** The key it was scheduled with (unique per type while scheduled). */
    String key();

    /** The linked account it works for, or {@code null}. */
    String account();

    /** The app it works for, or {@code null}. */
    String app();

    /** The data it was scheduled with (a JSON object). */
    Map<String, Object> data();

    /** 1 for the first attempt, 2 for the first retry, and so on. */
    int attempt();

    /** When this attempt was due. */
    Instant due();
}
