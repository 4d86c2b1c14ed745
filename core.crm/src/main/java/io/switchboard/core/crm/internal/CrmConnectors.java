package io.switchboard.core.crm.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.util.ServicesById;
import io.switchboard.core.crm.api.CrmConnector;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The CRM connectors installed right now, by {@code connector.id}; the newest registration wins. */
@Component(service = CrmConnectors.class)
public class CrmConnectors {
    private final ServicesById<CrmConnector> connectors = new ServicesById<>();

    @Reference(service = CrmConnector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(CrmConnector connector, Map<String, Object> properties) {
        if (properties.get(Connector.ID) instanceof String id) {
            connectors.add(id, connector);
        }
    }

    void remove(CrmConnector connector) {
        connectors.remove(connector);
    }

    /** @throws ProblemException 503 while the account's connector is not installed */
    CrmConnector require(String connectorId) {
        return connectors.find(connectorId).orElseThrow(() -> new ProblemException(503, "connector-unavailable", "Connector unavailable",
                "the CRM connector '" + connectorId + "' is not installed on this server right now"));
    }
}
