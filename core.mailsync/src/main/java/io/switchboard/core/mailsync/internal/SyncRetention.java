package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobType;
import java.time.Duration;
import java.time.Instant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index's tombstones do not pile up for ever: an hourly run (scheduled by {@link MailSync}) deletes those older than
 * {@code tombstone.retention.days} (30). A reader whose {@code updatedSince} token is older than
 * the newest deleted tombstone of its account has missed deletions: it gets 410
 * {@code sync-token-expired} and reads the index again from the start.
 */
@Component(service = JobType.class, immediate = true, configurationPid = MailSyncConfig.PID)
public class SyncRetention implements JobType {
    static final String NAME = "mailbox.sync-retention";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRetention.class);

    private final MailSync sync;
    private final int days;

    @Activate
    public SyncRetention(@Reference MailSync sync, MailSyncConfig config) {
        this.sync = sync;
        this.days = config.tombstone_retention_days();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(JobContext job) {
        if (days <= 0) {
            return;
        }
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        int deleted = 0;
        for (SyncRows.Kind kind : SyncRows.Kind.values()) {
            deleted += sync.rows().purge(kind, cutoff);
        }
        if (deleted > 0) {
            LOG.info("Mail index retention: {} tombstones older than {} days deleted", deleted, days);
        }
    }
}
