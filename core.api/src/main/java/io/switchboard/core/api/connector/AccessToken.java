package io.switchboard.core.api.connector;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A linked account's access token ready to use, as the token vault hands it out and outbound
 * calls carry it: the headers that carry it to the provider, where the account's API is, which
 * hosts its calls may reach, and the connector's budget.
 *
 * @param version the token generation (increases with every refresh)
 * @param baseUrl the account's API base URL
 * @param allowedHosts the hosts the connector lets calls for this account go to
 * @param proxyPaths the root-relative path prefixes the proxy may reach on the base URL's origin
 *     ({@link Connector#proxyPaths})
 * @param budget the connector's outbound budget per account, or {@code null}
 */
public record AccessToken(String accountId, String value, Map<String, String> headers, Instant expiresAt, long version,
                          String baseUrl, String connectorId, Set<String> allowedHosts, List<String> proxyPaths,
                          OutboundBudget budget) {
    /** Never prints the token. */
    @Override
    public String toString() {
        return "AccessToken[account=" + accountId + ", version=" + version + ", expiresAt=" + expiresAt + "]";
    }
}
