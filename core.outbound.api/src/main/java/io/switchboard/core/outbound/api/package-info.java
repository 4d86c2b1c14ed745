/**
 * Every call Switchboard makes to a provider goes through {@link io.switchboard.core.outbound.api.ProviderCalls}:
 * token requests, a connector's identity and revocation calls, the unified APIs' calls on an
 * account's behalf, and the proxy's streamed relay. One HTTP client stack behind it applies the
 * same rules to all of them (docs/security.md S16): no redirects followed, no cookie jar, only
 * public addresses at connection time, timeouts, the connector's budget per account, and one
 * token refresh and one retry when the provider answers 401. No HTTP-client type appears here.
 */
@Export
@Version("1.5.0")
package io.switchboard.core.outbound.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
