package io.switchboard.core.linking.internal;

import io.switchboard.core.api.events.Events;
import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.store.api.SqlTx;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connector.installed} and {@code connector.removed}, to every app whose endpoints ask for
 * them. A connector that comes or goes is checked by a background run ({@value #NAME}) after
 * {@code connector.events.grace.seconds}: one that is back by then (a bundle update, a restart)
 * is not announced as removed, and one already announced is not announced again at every start
 * (the announced set is kept in {@code linking_connector}). When the job engine arrives every known
 * connector is checked once after the grace, so one uninstalled while the server was down is announced too.
 * With several instances, the instance that runs the check decides.
 */
@Component(service = JobType.class, immediate = true, configurationPid = LinkingConfig.PID)
public class ConnectorEvents implements JobType {
    static final String NAME = "linking.connector-check";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorEvents.class);

    private final ConnectorRegistry registry;
    private final Store store;
    private final EntityManagerFactory unit;
    private final Duration grace;
    private volatile Events events;
    private volatile Jobs jobs;

    @Activate
    public ConnectorEvents(@Reference ConnectorRegistry registry, @Reference Store store,
                           @Reference(target = "(osgi.unit.name=switchboard.linking)") EntityManagerFactory unit,
                           LinkingConfig config) {
        this.registry = registry;
        this.store = store;
        this.unit = unit;
        this.grace = Duration.ofSeconds(Math.max(0, config.connector_events_grace_seconds()));
        registry.onChange(this::check);
    }

    /**
     * The job engine, bound after this type is active (a static reference would be a cycle: the
     * engine binds this type); every known connector is checked once it is here.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setJobs(Jobs value) {
        jobs = value;
        check(null);
    }

    void unsetJobs(Jobs value) {
        if (jobs == value) {
            jobs = null;
        }
    }

    @Deactivate
    void deactivate() {
        registry.onChange(null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(Events value) {
        events = value;
    }

    void unsetEvents(Events value) {
        if (events == value) {
            events = null;
        }
    }

    /** A check of one connector ({@code null}: of all) after the grace. */
    private void check(String connector) {
        Jobs engine = jobs;
        if (engine == null) {
            return; // checked all at once when the engine arrives
        }
        try {
            Map<String, Object> data = new HashMap<>();
            if (connector != null) {
                data.put("connector", connector);
            }
            engine.schedule(JobRequest.of(NAME, (connector == null ? "all" : connector) + "@" + Ids.uuid()).withData(data)
                    .at(Instant.now().plus(grace)));
        } catch (RuntimeException e) {
            LOG.warn("could not schedule the check of connector {}: {}", connector, e.toString());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One check at a time across instances: two at once both saw a new connector as unknown, and one failed on its key. */
    @Override
    public int concurrencyLimit() {
        return 1;
    }

    @Override
    public String concurrencyKey(JobContext job) {
        return "connectors";
    }

    @Override
    public void run(JobContext job) {
        Events outbox = events;
        if (outbox == null) {
            return; // no webhooks installed: nothing to tell, and nothing recorded as told
        }
        String only = (String) job.data().get("connector");
        store.run(unit, em -> {
            SqlTx tx = SqlTx.of(em);
            Map<String, Boolean> known = new HashMap<>(); // id -> announced as installed (not removed since)
            for (Object[] row : tx.rows("SELECT id, removed_at FROM linking_connector")) {
                known.put((String) row[0], row[1] == null);
            }
            TreeSet<String> ids = new TreeSet<>(known.keySet());
            ids.addAll(registry.ids());
            Timestamp now = Timestamp.from(Instant.now());
            for (String id : only == null ? ids : List.of(only)) {
                boolean present = registry.find(id).isPresent();
                Boolean installed = known.get(id);
                if (present && (installed == null
                        ? tx.update("INSERT INTO linking_connector (id, installed_at) VALUES (?, ?)", id, now) > 0
                        : !installed && tx.update("UPDATE linking_connector SET installed_at = ?, removed_at = NULL "
                                + "WHERE id = ? AND removed_at IS NOT NULL", now, id) > 0)) {
                    outbox.publishToEveryApp(em, Events.CONNECTOR_INSTALLED, Map.of("connector", id));
                } else if (!present && Boolean.TRUE.equals(installed)
                        && tx.update("UPDATE linking_connector SET removed_at = ? WHERE id = ? AND removed_at IS NULL", now, id) > 0) {
                    outbox.publishToEveryApp(em, Events.CONNECTOR_REMOVED, Map.of("connector", id));
                }
            }
        });
    }
}
