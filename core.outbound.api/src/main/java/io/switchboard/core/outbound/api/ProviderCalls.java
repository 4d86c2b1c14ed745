package io.switchboard.core.outbound.api;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way to call a provider. As an {@link Upstream} it makes the calls that belong to no
 * account yet (a connector's identity and revocation calls: {@code Accept: application/json}
 * unless asked otherwise, the configured call timeout).
 */
@ProviderType
public interface ProviderCalls extends Upstream {

    /**
     * Calls to URLs the operator configured, never a user (identity providers' discovery
     * documents and key sets): the same rules as {@link #send}, except that the host may resolve
     * to a private address, since an OpenID provider inside the operator's own network is
     * legitimate.
     */
    Upstream operatorConfigured();

    /**
     * Calls to URLs a developer gave (webhook endpoints): the same rules as {@link #send}
     * (public addresses only, checked at connection time; no redirects, no cookies) with
     * {@code timeout} for the whole answer.
     */
    Upstream withTimeout(java.time.Duration timeout);

    /**
     * A token-endpoint request (code redemption, password grant, refresh) in the encoding the
     * connector declares, its {@code extraTokenParameters} added. Nothing is logged of the values.
     *
     * @param grant the grant's parameters ({@code grant_type}, {@code code}, ...)
     * @param instanceUrl the instance the user typed (password grants), or {@code null}
     * @throws GrantRefusedException the provider refused the grant (an OAuth error)
     * @throws ProviderUnavailableException the provider could not answer now (5xx, 429, network, garbage)
     */
    TokenSet requestTokens(Connector connector, ConnectorSettings settings, String tokenUrl, Map<String, String> grant,
                           String instanceUrl, Instant now) throws GrantRefusedException, ProviderUnavailableException;

    /**
     * Calls to one account's API with its token: paths stay below the account's base URL, the
     * connector's budget is spent per call, and a 401 is answered by one refresh and one retry.
     *
     * @param afterRejection a fresh token after the provider rejected the given one (the vault's single flight)
     * @param timeout the longest wait for a whole answer
     */
    AccountCalls account(AccessToken token, UnaryOperator<AccessToken> afterRejection, Duration timeout);

    /**
     * Relays a servlet request to a provider and its answer back, streaming both ways without
     * holding a thread while either side is slow (the proxy). Checks the target (the provider's own
     * path on the origin of the account's base URL, under one of the connector's proxy paths; the
     * base's host must be one the connector allows) and spends
     * the account's budget first; the call then goes asynchronous and {@link Relay.Listener#ended}
     * reports how it ended.
     *
     * @throws ProblemException before anything was sent, for the caller to answer: 400
     *     {@code invalid-proxy-path}, 403 {@code host-not-allowed} or {@code path-not-allowed}, 502 {@code upstream-misconfigured}
     *     (the account's base URL), 429 {@code rate-limited} (the budget is spent)
     */
    void relay(HttpServletRequest request, HttpServletResponse response, Relay relay) throws IOException;

    /**
     * Checks a URL a user typed for an instance (SugarCRM) before any connection: HTTPS, no
     * credentials, no path tricks, every address of its host public.
     *
     * @return the instance's URL normalised ({@code https://host[:port][/path]})
     * @throws ProblemException 400 {@code invalid-instance-url}
     */
    String instanceUrl(String typed);
}
