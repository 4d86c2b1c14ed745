/**
 * The connector SPI: what a connector bundle declares so that Switchboard can link accounts of
 * one provider, keep and refresh their tokens, and proxy calls to the provider's API.
 *
 * <p>A connector is mostly declaration. A bundle registers a {@link io.switchboard.core.api.connector.Connector}
 * service with the service property {@code connector.id} ({@link io.switchboard.core.api.connector.Connector#ID});
 * {@link io.switchboard.core.api.connector.Connector#auth()} says how accounts are linked and where
 * the provider's endpoints are. Everything else has a default that fits a standard OAuth 2.0
 * provider and is overridden only for a provider's quirks:
 * <ul>
 *   <li>{@code readTokens}: a token response without {@code expires_in} (Salesforce) or with extra
 *       fields to keep ({@code instance_url}, {@code id});</li>
 *   <li>{@code identify}: who the linked account is (external id, display name, API base URL);
 *       the default reads the OpenID Connect userinfo endpoint of the {@link io.switchboard.core.api.connector.AuthSpec};</li>
 *   <li>{@code allowedHosts}: the hosts the proxy may call for an account (default: the base URL's host);</li>
 *   <li>{@code authorization}: the header carrying the access token (default {@code Authorization: Bearer});</li>
 *   <li>{@code revoke}: unlinking (default: RFC 7009 revocation of the refresh token, if the spec names an endpoint).</li>
 * </ul>
 * Connectors never see a Switchboard session, never store tokens, and make their HTTP calls
 * through the {@link io.switchboard.core.api.connector.Upstream} they are given.
 */
@Export
@Version("2.3.0")
package io.switchboard.core.api.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
