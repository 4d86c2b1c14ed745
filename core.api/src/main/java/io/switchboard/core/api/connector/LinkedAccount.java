package io.switchboard.core.api.connector;

import java.util.Map;

/**
 * An account as a connector sees it when asked about it.
 *
 * @param settings the app's settings for the connector
 * @param endpoints the resolved endpoint URLs of this account's authorization server ({@code authorization},
 *     {@code token}, {@code revocation}, {@code userinfo}; absent when the spec has none), {@code api}
 *     (the resolved {@code api.base.url} template, when there is one), and {@code instance} for
 *     password-grant accounts
 * @param tokens the account's current tokens
 */
public record LinkedAccount(ConnectorSettings settings, Map<String, String> endpoints, TokenSet tokens) {
    public LinkedAccount {
        endpoints = Map.copyOf(endpoints);
    }
}
