package io.switchboard.core.api.connector;

import java.util.List;
import java.util.Map;

/**
 * What an app configured for a connector through the admin API: its own OAuth client (the
 * developer's Salesforce connected app, HubSpot app, Sugar client), the scopes it asks for, and
 * options that fill the {@link AuthSpec} templates (e.g. {@code login.host}, {@code platform}).
 *
 * @param clientSecret the client secret in clear, only ever in memory; may be empty (Sugar's {@code sugar} client)
 * @param scopes the scopes to request; empty means the connector's defaults
 */
public record ConnectorSettings(String clientId, String clientSecret, List<String> scopes, Map<String, String> options) {

    public ConnectorSettings {
        clientSecret = clientSecret == null ? "" : clientSecret;
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ConnectorSettings[clientId=" + clientId + ", scopes=" + scopes + ", options=" + options.keySet() + "]";
    }
}
