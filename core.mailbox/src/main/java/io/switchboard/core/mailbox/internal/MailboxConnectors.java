package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.mailbox.MailboxConnector;
import io.switchboard.core.api.util.ServicesById;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The mailbox connectors installed right now, by {@code connector.id}; the newest registration wins. */
@Component(service = MailboxConnectors.class)
public class MailboxConnectors {
    private final ServicesById<MailboxConnector> connectors = new ServicesById<>();

    @Reference(service = MailboxConnector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(MailboxConnector connector, Map<String, Object> properties) {
        if (properties.get(Connector.ID) instanceof String id) {
            connectors.add(id, connector);
        }
    }

    void remove(MailboxConnector connector) {
        connectors.remove(connector);
    }

    /**
     * The account's mailbox connector. The vault answered for the account, so its connector is
     * installed: without a mailbox connector of the same id it is not a mailbox (a CRM).
     *
     * @throws ProblemException 404 {@code not-a-mailbox}
     */
    MailboxConnector require(String connectorId) {
        return connectors.find(connectorId).orElseThrow(() -> new ProblemException(404, "not-a-mailbox", "Not a mailbox",
                "the account's connector '" + connectorId + "' has no mailbox"));
    }
}
