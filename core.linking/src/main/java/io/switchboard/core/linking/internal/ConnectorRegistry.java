package io.switchboard.core.linking.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.util.ServicesById;
import io.switchboard.core.vault.api.ConnectorDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors installed right now, by {@code connector.id}. Connectors come and go with
 * their bundles; when two register the same id (an upgrade in progress), the newest wins. As the
 * vault's {@link ConnectorDirectory} it also answers with each app's settings for a connector.
 */
@Component(service = {ConnectorRegistry.class, ConnectorDirectory.class})
public class ConnectorRegistry implements ConnectorDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);

    private final ServicesById<Connector> connectors = new ServicesById<>();
    private final AppConnectorService apps;
    private volatile Consumer<String> changes = id -> { };

    @Activate
    public ConnectorRegistry(@Reference AppConnectorService apps) {
        this.apps = apps;
    }

    @Reference(service = Connector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(Connector connector, Map<String, Object> properties) {
        Object id = properties.get(Connector.ID);
        if (!(id instanceof String s) || !ConnectorIds.valid(s)) {
            LOG.warn("ignoring a connector service without a valid {} property: {}", Connector.ID, id);
            return;
        }
        connectors.add(s, connector);
        LOG.info("connector {} available", s);
        changes.accept(s);
    }

    void remove(Connector connector, Map<String, Object> properties) {
        connectors.remove(connector);
        LOG.info("connector {} gone", properties.get(Connector.ID));
        if (properties.get(Connector.ID) instanceof String id) {
            changes.accept(id);
        }
    }

    /** Tells {@code listener} the id of each connector that comes or goes from now on ({@code null}: no one). */
    void onChange(Consumer<String> listener) {
        changes = listener == null ? id -> { } : listener;
    }

    @Override
    public Optional<Connector> find(String id) {
        return connectors.find(id);
    }

    @Override
    public ConnectorSettings settings(String appId, String connectorId) {
        return apps.settings(appId, connectorId);
    }

    TreeSet<String> ids() {
        return connectors.ids();
    }
}
