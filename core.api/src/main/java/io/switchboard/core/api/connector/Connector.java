package io.switchboard.core.api.connector;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider whose accounts users link: registered as an OSGi service with the property
 * {@value #ID}. See the package documentation for what to declare and what to override.
 *
 * <p>Implementations are stateless and thread-safe; Switchboard calls them concurrently and
 * tracks them dynamically: when a connector goes away its accounts answer {@code 503
 * connector-unavailable} and keep their tokens.
 */
@ConsumerType
public interface Connector {

    /** The service property naming the connector ({@code salesforce}, {@code hubspot}, ...). */
    String ID = "connector.id";

    /** Shown to users and developers. */
    String displayName();

    /** How accounts are linked and refreshed. */
    AuthSpec auth();

    /**
     * Reads a token response (code redemption, password grant or refresh). Override for quirks:
     * Salesforce has no {@code expires_in}; a connector may check fields here (e.g. Salesforce's
     * {@code signature}) and throw {@link IOException} when they do not hold.
     */
    default TokenSet readTokens(Map<String, Object> response, ConnectorSettings settings, Instant now) throws IOException {
        return TokenSet.standard(response, now, auth().defaultLifetime());
    }

    /**
     * Whether a token endpoint's refusal (a 4xx, or an {@code error} member) says the grant is dead
     * and the user must link again, in this provider's own words. The default knows OAuth's
     * {@code invalid_grant} and OpenID Connect's {@code interaction_required},
     * {@code consent_required} and {@code login_required} (Microsoft's multi-factor, consent and
     * conditional-access refusals): "the user must come back", not "try later". A provider that
     * answers in its own shape (HubSpot's {@code {"status":"BAD_REFRESH_TOKEN"}}) says so here.
     *
     * @param answer the refusal's JSON object (empty when it had none)
     */
    default boolean grantDead(int status, Map<String, Object> answer) {
        return answer.get("error") instanceof String error
                && List.of("invalid_grant", "interaction_required", "consent_required", "login_required").contains(error);
    }

    /**
     * Who the freshly linked account is. The default reads the userinfo endpoint of the spec
     * ({@code sub}; {@code email} or {@code name} as display name) and takes the resolved
     * {@code api.base.url} template (endpoint {@code api}) as base URL.
     */
    default AccountIdentity identify(LinkedAccount account, Upstream upstream) throws IOException {
        String userinfo = account.endpoints().get("userinfo");
        if (userinfo == null) {
            throw new IOException("connector declares neither a userinfo endpoint nor its own identify()");
        }
        Upstream.Response r = upstream.send(new Upstream.Request("GET", userinfo,
                authorization(account.tokens().accessToken()), null));
        if (!r.ok()) {
            throw new IOException("userinfo answered " + r.status());
        }
        Map<String, Object> info = upstream.parseObject(r.body());
        Object sub = info.get("sub");
        if (!(sub instanceof String subject) || subject.isEmpty()) {
            throw new IOException("userinfo without sub");
        }
        Object name = info.get("email") != null ? info.get("email") : info.get("name");
        String base = account.endpoints().get("api");
        if (base == null) {
            throw new IOException("no api.base.url option for this connector");
        }
        return new AccountIdentity(subject, name == null ? subject : String.valueOf(name), base);
    }

    /**
     * Whether an account of this connector ({@code externalId} as {@link #identify} gave it) is
     * the same person as a signed-in user, named as Switchboard's sessions name users: the issuer
     * key ({@code entra:<tenant id>}, {@code google:<issuer>}, {@code oidc:<issuer>}) and the
     * subject (Entra's {@code oid}, Google's {@code sub}). A provider that signs users in with the
     * same identity it links (Microsoft, Google) can tell; the rest cannot: {@code false}.
     *
     * @since 2.3.0
     */
    default boolean samePerson(String externalId, String issuerKey, String subject) {
        return false;
    }

    /**
     * The token request's parameters that trade an access token the add-in holds for the app's own
     * API (Office SSO, nested app authentication) for this provider's tokens of the same user,
     * with no consent screen (Microsoft's on-behalf-of grant); empty when the provider has none.
     * The client's credentials and the scopes are added as for every token request.
     *
     * @since 2.3.0
     */
    default Map<String, String> onBehalfOf(String assertion) {
        return Map.of();
    }

    /**
     * The scopes an app's authorization request asks for: the app's own list, else the
     * declaration's defaults. A connector whose accounts need some scopes whatever the app chose
     * (a refresh token, the identity call) or that offers features to choose from overrides it
     * (see {@link FeatureScopes}).
     */
    default List<String> scopes(ConnectorSettings settings) {
        return settings.scopes().isEmpty() ? auth().defaultScopes() : settings.scopes();
    }

    /** The hosts the proxy may call for an account; by default only its base URL's host. */
    default Set<String> allowedHosts(AccountIdentity identity) {
        return Set.of(URI.create(identity.baseUrl()).getHost());
    }

    /**
     * The root-relative path prefixes the proxy may reach on the account's API origin (the
     * scheme, host and port of its base URL), written as the provider's documentation and SDKs
     * write its paths: {@code /v1/proxy/{account}/services/data/v60.0/query} reaches
     * {@code <origin>/services/data/v60.0/query} when {@code /services/data/} is one of them. Each
     * ends with {@code /}; a path is allowed when it starts with one. The default is the base
     * URL's own path and everything below it ({@code /}, the whole origin, when it has none).
     */
    default List<String> proxyPaths(AccountIdentity identity) {
        String path = URI.create(identity.baseUrl()).getRawPath();
        return List.of(path == null || path.isEmpty() || path.equals("/") ? "/" : path.replaceAll("/+$", "") + "/");
    }

    /** The headers that carry an access token to the provider's API. */
    default Map<String, String> authorization(String accessToken) {
        return Map.of("Authorization", "Bearer " + accessToken);
    }

    /**
     * Ends the grant at the provider when the user unlinks. The default revokes the refresh
     * token (else the access token) at the spec's RFC 7009 endpoint, if it names one. Failures
     * are reported by exceptions; Switchboard deletes the tokens locally whatever happens.
     */
    default void revoke(LinkedAccount account, Upstream upstream) throws IOException {
        String endpoint = account.endpoints().get("revocation");
        if (endpoint == null) {
            return;
        }
        TokenSet tokens = account.tokens();
        String token = tokens.refreshToken() != null ? tokens.refreshToken() : tokens.accessToken();
        String body = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(account.settings().clientId(), StandardCharsets.UTF_8)
                + (account.settings().clientSecret().isEmpty() ? ""
                        : "&client_secret=" + URLEncoder.encode(account.settings().clientSecret(), StandardCharsets.UTF_8));
        Upstream.Response r = upstream.send(new Upstream.Request("POST", endpoint,
                Map.of("Content-Type", "application/x-www-form-urlencoded"), body));
        if (!r.ok()) {
            throw new IOException("revocation answered " + r.status());
        }
    }

    /**
     * An outbound budget per account the proxy keeps to (e.g. HubSpot: 100 requests per 10 s),
     * or {@code null} for none.
     */
    default OutboundBudget budget() {
        return null;
    }
}
