package io.switchboard.core.api.events;

import java.util.Map;
import javax.persistence.EntityManager;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes events to the app's webhook endpoints. The event is written to an outbox in the
 * caller's transaction: it is delivered only if that transaction commits (an account linked is
 * never without its event, a rolled-back change never sends one), then by background runs, at
 * least once, each endpoint on its own.
 */
@ProviderType
public interface Events {
    String ACCOUNT_LINKED = "account.linked";
    String ACCOUNT_REAUTH_REQUIRED = "account.reauth_required";
    String ACCOUNT_REVOKED = "account.revoked";
    String ACCOUNT_DELETED = "account.deleted";
    String CONNECTOR_INSTALLED = "connector.installed";
    String CONNECTOR_REMOVED = "connector.removed";
    /** One of the app's endpoints was disabled after failing for {@code disable.after.days}. */
    String WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint_disabled";

    /**
     * @param tx the caller's running transaction (the {@code EntityManager} of {@code Store.transaction})
     * @param app the app whose endpoints hear of it
     * @param type e.g. {@link #ACCOUNT_LINKED}
     * @param data the event's {@code data} (a JSON object; never a secret)
     * @return the event's id
     */
    String publish(EntityManager tx, String app, String type, Map<String, Object> data);

    /**
     * As {@link #publish(EntityManager, String, String, Map)}, in the caller's JDBC transaction
     * (a {@code Connection} on the Switchboard data source, autocommit off).
     *
     * @since 1.1.0
     */
    String publish(java.sql.Connection tx, String app, String type, Map<String, Object> data);

    /**
     * An event about the server rather than one app (e.g. {@link #CONNECTOR_INSTALLED}): one event
     * for each app with an enabled endpoint that subscribes to {@code type}, in the caller's transaction.
     *
     * @return the events' ids
     * @since 1.1.0
     */
    java.util.List<String> publishToEveryApp(EntityManager tx, String type, Map<String, Object> data);
}
