package io.switchboard.core.vault.api;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The connectors installed right now and each app's own client for them, as the vault needs them
 * to refresh and revoke tokens. Account linking implements it (it owns the connector registry
 * and the apps' connector settings); the vault only reads.
 */
@ConsumerType
public interface ConnectorDirectory {

    /** The installed connector with this id (the newest, while an upgrade registers two). */
    Optional<Connector> find(String connectorId);

    /** @throws ProblemException 503 {@code connector-unavailable} when it is not installed */
    default Connector require(String connectorId) {
        return find(connectorId).orElseThrow(() -> new ProblemException(503, "connector-unavailable", "Connector unavailable",
                "the connector '" + connectorId + "' is not installed on this server right now; its accounts and tokens are kept"));
    }

    /**
     * The app's settings for the connector, its client secret opened.
     *
     * @throws ProblemException 404 {@code connector-not-enabled} when the app has not configured it
     */
    ConnectorSettings settings(String appId, String connectorId);
}
