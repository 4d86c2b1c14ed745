package io.switchboard.core.crm.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.crm.CrmConnector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The CRM connectors installed right now, by {@code connector.id}; the newest registration wins. */
@Component(service = CrmConnectors.class)
public class CrmConnectors {
    private record Entry(Object id, CrmConnector connector) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Reference(service = CrmConnector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(CrmConnector connector, Map<String, Object> properties) {
        entries.add(new Entry(properties.get(Connector.ID), connector));
    }

    void remove(CrmConnector connector) {
        entries.removeIf(e -> e.connector() == connector);
    }

    /** @throws ProblemException 503 while the account's connector is not installed */
    CrmConnector require(String connectorId) {
        CrmConnector found = null;
        for (Entry e : entries) {
            if (connectorId.equals(e.id())) {
                found = e.connector();
            }
        }
        if (found == null) {
            throw new ProblemException(503, "connector-unavailable", "Connector unavailable",
                    "the CRM connector '" + connectorId + "' is not installed on this server right now");
        }
        return found;
    }
}
