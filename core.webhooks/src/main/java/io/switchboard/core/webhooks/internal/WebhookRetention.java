package io.switchboard.core.webhooks.internal;

import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.jobs.RetryPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox does not grow for ever: an hourly run deletes the events older than
 * {@code retention.days} whose deliveries are all settled (none pending), with their deliveries
 * and attempts, a few hundred events per transaction. A pending delivery keeps its event however
 * old (its retries are still under way); the delivery log shows what is left.
 */
@Component(service = JobType.class, immediate = true) // like DeliverJob: the engine binds this type, so its reference to the engine is dynamic
public class WebhookRetention implements JobType {
    static final String NAME = "webhooks.retention";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRetention.class);
    private static final int BATCH = 500;

    private final WebhookService webhooks;

    @Activate
    public WebhookRetention(@Reference WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /** The engine, once here, gets the hourly run (the same key every time: scheduled once across instances and restarts). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setJobs(Jobs jobs) {
        try {
            jobs.schedule(JobRequest.of(NAME, "hourly").every(Duration.ofHours(1)));
        } catch (RuntimeException e) {
            LOG.warn("could not schedule the webhook outbox's retention: {}", e.toString());
        }
    }

    void unsetJobs(Jobs jobs) {
        // the run stays scheduled in the database
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(10));
    }

    @Override
    public void run(JobContext job) {
        int days = webhooks.config().retention_days();
        if (days <= 0) {
            return;
        }
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        int deleted = 0;
        int batch;
        do {
            batch = prune(cutoff);
            deleted += batch;
        } while (batch == BATCH);
        if (deleted > 0) {
            LOG.info("Webhook outbox: {} events older than {} days deleted with their deliveries and attempts", deleted, days);
        }
    }

    /** Deletes up to {@value #BATCH} settled events created before {@code cutoff}, with their deliveries and attempts; returns how many. */
    int prune(Instant cutoff) {
        return webhooks.rows().transaction(c -> {
            List<String> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT e.id FROM webhook_event e WHERE e.created_at < ? AND NOT EXISTS "
                    + "(SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id AND d.state = 'pending') ORDER BY e.created_at")) {
                s.setTimestamp(1, Timestamp.from(cutoff));
                s.setMaxRows(BATCH);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        events.add(r.getString(1));
                    }
                }
            }
            for (String sql : List.of(
                    "DELETE FROM webhook_attempt WHERE delivery_id IN (SELECT id FROM webhook_delivery WHERE event_id = ?)",
                    "DELETE FROM webhook_delivery WHERE event_id = ?",
                    "DELETE FROM webhook_event WHERE id = ?")) {
                try (PreparedStatement d = c.prepareStatement(sql)) {
                    for (String event : events) {
                        d.setString(1, event);
                        d.addBatch();
                    }
                    d.executeBatch();
                }
            }
            return events.size();
        });
    }
}
