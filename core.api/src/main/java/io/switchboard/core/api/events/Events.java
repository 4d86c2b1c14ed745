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

    /**
     * @param tx the caller's running transaction (the {@code EntityManager} of {@code Store.transaction})
     * @param app the app whose endpoints hear of it
     * @param type e.g. {@link #ACCOUNT_LINKED}
     * @param data the event's {@code data} (a JSON object; never a secret)
     * @return the event's id
     */
    String publish(EntityManager tx, String app, String type, Map<String, Object> data);
}
