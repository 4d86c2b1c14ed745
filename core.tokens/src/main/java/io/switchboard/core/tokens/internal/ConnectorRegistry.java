package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ServicesById;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors installed right now, by {@code connector.id}. Connectors come and go with
 * their bundles; when two register the same id (an upgrade in progress), the newest wins.
 */
@Component(service = ConnectorRegistry.class)
public class ConnectorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);

    private final ServicesById<Connector> connectors = new ServicesById<>();

    @Reference(service = Connector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(Connector connector, Map<String, Object> properties) {
        Object id = properties.get(Connector.ID);
        if (!(id instanceof String s) || !ConnectorIds.valid(s)) {
            LOG.warn("ignoring a connector service without a valid {} property: {}", Connector.ID, id);
            return;
        }
        connectors.add(s, connector);
        LOG.info("connector {} available", s);
    }

    void remove(Connector connector, Map<String, Object> properties) {
        connectors.remove(connector);
        LOG.info("connector {} gone", properties.get(Connector.ID));
    }

    Optional<Connector> find(String id) {
        return connectors.find(id);
    }

    /** @throws ProblemException 503 {@code connector-unavailable} */
    Connector require(String id) {
        return find(id).orElseThrow(() -> new ProblemException(503, "connector-unavailable", "Connector unavailable",
                "the connector '" + id + "' is not installed on this server right now; its accounts and tokens are kept"));
    }

    TreeSet<String> ids() {
        return connectors.ids();
    }
}
