package io.switchboard.core.webhooks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.events.Events;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.store.api.SqlTx;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.SealedRows;
import io.switchboard.core.vault.api.SealedSecrets;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.persistence.EntityManager;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Webhooks: the app's endpoints with their sealed secrets, and the outbox ({@link Events}): an
 * event and one delivery per subscribed endpoint are written in the caller's transaction, each
 * delivery with its background run ({@link DeliverJob}) scheduled in that same transaction.
 */
@Designate(ocd = WebhooksConfig.class)
@Component(service = {Events.class, WebhookService.class, SealedRows.class}, configurationPid = WebhooksConfig.PID)
public class WebhookService implements Events, SealedRows {
    static final String SECRET = "webhookSecret";
    static final String PREVIOUS_SECRET = "webhookPreviousSecret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookRows rows;
    private final SealedSecrets secrets;
    private final Jobs jobs;
    private final WebhooksConfig config;
    private final WebhookMeters meters;

    @Activate
    public WebhookService(@Reference(target = "(&(osgi.jndi.service.name=" + Store.DATA_SOURCE_NAME + ")(" + Store.SCHEMAS_PROPERTY
                                  + "=webhooks))") DataSource dataSource,
                          @Reference SealedSecrets secrets, @Reference Jobs jobs, @Reference MeterRegistry registry, WebhooksConfig config) {
        this.rows = new WebhookRows(dataSource);
        this.meters = new WebhookMeters(registry, rows);
        this.secrets = secrets;
        this.jobs = jobs;
        this.config = config;
    }

    WebhookRows rows() {
        return rows;
    }

    WebhooksConfig config() {
        return config;
    }

    WebhookMeters meters() {
        return meters;
    }

    @Deactivate
    void stop() {
        meters.close();
    }

    // ---- the outbox

    @Override
    public String publish(EntityManager tx, String app, String type, Map<String, Object> data) {
        return publish(SqlTx.of(tx), run -> jobs.schedule(tx, run), event(app, type, data));
    }

    @Override
    public String publish(Connection tx, String app, String type, Map<String, Object> data) {
        return publish(SqlTx.of(tx), run -> jobs.schedule(tx, run), event(app, type, data));
    }

    @Override
    public List<String> publishToEveryApp(EntityManager tx, String type, Map<String, Object> data) {
        Set<String> apps = new LinkedHashSet<>();
        for (Object[] endpoint : SqlTx.of(tx).rows("SELECT app_id, event_types FROM webhook_endpoint WHERE enabled = TRUE")) {
            if (WebhookRows.wants(WebhookRows.eventTypes((String) endpoint[1]), type)) {
                apps.add((String) endpoint[0]);
            }
        }
        return apps.stream().map(app -> publish(tx, app, type, data)).toList();
    }

    /** The event and a delivery (with its run, through {@code schedule}) per subscribed endpoint, on the caller's transaction. */
    private String publish(SqlTx tx, Consumer<JobRequest> schedule, WebhookRows.Event event) {
        WebhookRows.insertEvent(tx, event);
        for (Object[] endpoint : tx.rows("SELECT id, event_types FROM webhook_endpoint WHERE app_id = ? AND enabled = TRUE", event.app())) {
            if (WebhookRows.wants(WebhookRows.eventTypes((String) endpoint[1]), event.type())) {
                WebhookRows.Delivery delivery = pending(event.app(), (String) endpoint[0], event.id(), event.createdAt());
                WebhookRows.insertDelivery(tx, delivery);
                schedule.accept(DeliverJob.request(event.app(), delivery.endpointId(), delivery.id()));
            }
        }
        return event.id();
    }

    /**
     * Disables an endpoint that has failed too long and tells the app (its other endpoints, and
     * its event list) in the same transaction.
     */
    void disable(WebhookRows.Endpoint failing, Instant since) {
        String reason = "disabled after " + config.disable_after_days() + " days of failed deliveries";
        WebhookRows.Endpoint disabled = failing.withFailingSince(since, reason);
        rows.transaction(c -> {
            WebhookRows.update(c, disabled);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("endpoint", disabled.id());
            data.put("url", disabled.url());
            data.put("failingSince", since.toString());
            data.put("reason", reason);
            publish(c, disabled.app(), WEBHOOK_ENDPOINT_DISABLED, data);
            return 1;
        });
    }

    /** An event to one endpoint alone, outside any caller's transaction (a test event). */
    WebhookRows.Delivery sendTo(WebhookRows.Endpoint endpoint, String type, Map<String, Object> data) {
        WebhookRows.Event event = event(endpoint.app(), type, data);
        return rows.transaction(c -> {
            WebhookRows.insertEvent(SqlTx.of(c), event);
            return deliver(c, endpoint, event.id());
        });
    }

    /** A new delivery of an earlier event to an endpoint (a replay: the same id and body). */
    WebhookRows.Delivery deliver(WebhookRows.Endpoint endpoint, String eventId) {
        return rows.transaction(c -> deliver(c, endpoint, eventId));
    }

    /** The delivery and its run, in the transaction of {@code c}. */
    private WebhookRows.Delivery deliver(Connection c, WebhookRows.Endpoint endpoint, String eventId) {
        WebhookRows.Delivery delivery = pending(endpoint.app(), endpoint.id(), eventId, Instant.now());
        WebhookRows.insertDelivery(SqlTx.of(c), delivery);
        jobs.schedule(c, DeliverJob.request(endpoint.app(), endpoint.id(), delivery.id()));
        return delivery;
    }

    private static WebhookRows.Delivery pending(String app, String endpointId, String eventId, Instant at) {
        return new WebhookRows.Delivery("dlv_" + compact(), eventId, endpointId, app, "pending", 0, null, null, at, at);
    }

    private static WebhookRows.Event event(String app, String type, Map<String, Object> data) {
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", now.toString());
        body.put("data", data == null ? Map.of() : data);
        try {
            return new WebhookRows.Event("evt_" + compact(), app, type, JSON.writeValueAsString(body), now);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event's data must be JSON: " + e.getOriginalMessage());
        }
    }

    // ---- endpoints

    /** A new endpoint; the answer's {@code secret} is its signing secret in clear, shown this once. */
    Map<String, Object> create(String app, String url, List<String> types, String description, boolean enabled) {
        if (rows.endpoints(app).size() >= config.max_endpoints_per_app()) {
            throw new ProblemException(409, "too-many-endpoints", "Conflict", "an app has at most " + config.max_endpoints_per_app() + " endpoints");
        }
        String id = "we_" + compact();
        String secret = Signatures.newSecret();
        WebhookRows.Endpoint endpoint = new WebhookRows.Endpoint(id, app, checkedUrl(url), description, checkedTypes(types), enabled, null,
                secrets.seal(secret, app, id, SECRET), null, null, null, Instant.now());
        rows.insert(endpoint);
        Map<String, Object> out = WebhookViews.endpoint(endpoint);
        out.put("secret", secret);
        return out;
    }

    WebhookRows.Endpoint endpoint(String app, String id) {
        return rows.endpoint(id).filter(e -> e.app().equals(app)).orElseThrow(() -> ProblemException.notFound("no such endpoint"));
    }

    WebhookRows.Endpoint update(String app, String id, String url, List<String> types, String description, Boolean enabled) {
        WebhookRows.Endpoint e = endpoint(app, id);
        boolean enabling = Boolean.TRUE.equals(enabled) && !e.enabled();
        WebhookRows.Endpoint changed = e.withSettings(url == null ? e.url() : checkedUrl(url),
                description == null ? e.description() : description, types == null ? e.eventTypes() : checkedTypes(types),
                enabled == null ? e.enabled() : enabled, enabled == null || !enabled ? e.disabledReason() : null);
        if (enabling) {
            changed = changed.withFailingSince(null, null); // a fresh start: five more days before it is disabled again
        }
        rows.update(changed);
        return changed;
    }

    /**
     * A new signing secret; the current one keeps signing beside it for {@code overlap}, so a
     * receiver can switch without missing a delivery. Returns the new secret in clear, once.
     */
    String rotate(String app, String id, Duration overlap) {
        WebhookRows.Endpoint e = endpoint(app, id);
        String current = secrets.open(e.secret(), app, id, SECRET);
        String next = Signatures.newSecret();
        rows.update(e.withSecrets(secrets.seal(next, app, id, SECRET), secrets.seal(current, app, id, PREVIOUS_SECRET),
                Instant.now().plus(overlap)));
        return next;
    }

    /** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
    List<String> signingSecrets(WebhookRows.Endpoint e, Instant now) {
        String current = secrets.open(e.secret(), e.app(), e.id(), SECRET);
        if (e.previousSecret() != null && e.previousUntil() != null && now.isBefore(e.previousUntil())) {
            return List.of(current, secrets.open(e.previousSecret(), e.app(), e.id(), PREVIOUS_SECRET));
        }
        return List.of(current);
    }

    private String checkedUrl(String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (Exception e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null
                || !(scheme.equals("https") || scheme.equals("http") && config.allow_http()) || url.length() > 2000) {
            throw new ProblemException(400, "invalid-endpoint-url", "Bad Request",
                    "an endpoint is an absolute https:// URL without credentials or fragment");
        }
        return url;
    }

    private static List<String> checkedTypes(List<String> types) {
        if (types == null || types.isEmpty() || types.stream().anyMatch(t -> t == null || !t.matches("\\*|[a-z_]+(\\.[a-z_]+)*"))) {
            throw ProblemException.badRequest("events is a list of event types (e.g. account.linked), or [\"*\"] for all");
        }
        return List.copyOf(types);
    }

    private static String compact() {
        return Ids.uuid().replace("-", "");
    }

    // ---- re-wrap under a new master key

    @Override
    public String name() {
        return "webhookSecrets";
    }

    @Override
    public int rewrap() {
        int changed = 0;
        for (WebhookRows.Endpoint e : rows.allEndpoints()) {
            boolean current = secrets.needsRewrap(e.secret());
            boolean previous = e.previousSecret() != null && secrets.needsRewrap(e.previousSecret());
            if (current || previous) {
                rows.update(e.withSecrets(current ? secrets.rewrap(e.secret(), e.app(), e.id(), SECRET) : e.secret(),
                        previous ? secrets.rewrap(e.previousSecret(), e.app(), e.id(), PREVIOUS_SECRET) : e.previousSecret(),
                        e.previousUntil()));
                changed++;
            }
        }
        return changed;
    }
}
