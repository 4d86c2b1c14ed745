package io.switchboard.core.api.connector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a connector's accounts are linked and refreshed: the declaration at the heart of a connector.
 *
 * <p>Endpoint URLs are templates: {@code {name}} is replaced by the app's option of that name
 * (see {@link ConnectorSettings#options()}), else by {@link #defaults()}; {@code {instance}} is the
 * instance URL the user typed for a {@link AuthKind#PASSWORD_GRANT} connector. So a Salesforce
 * sandbox is {@code https://{login.host}/services/oauth2/token} with the app option
 * {@code login.host=test.salesforce.com}.
 *
 * @param kind how accounts are linked
 * @param authorizationUrl the authorization endpoint (code grants), or {@code null}
 * @param tokenUrl the token endpoint
 * @param revocationUrl an RFC 7009 revocation endpoint, or {@code null} when the provider has none
 *     (or when the connector overrides {@link Connector#revoke})
 * @param userinfoUrl an OpenID Connect userinfo endpoint used by the default {@link Connector#identify}, or {@code null}
 * @param defaultScopes scopes requested when the app configures none
 * @param tokenRequest how the token endpoint wants its parameters and the client's credentials
 * @param defaultLifetime the access-token lifetime assumed when a token response has no
 *     {@code expires_in}, or {@code null} for "until the provider answers 401" (Salesforce)
 * @param extraTokenParameters fixed parameters added to every token request (templates like the URLs;
 *     e.g. Sugar's {@code platform})
 * @param defaults values for the template names that an app does not set
 */
public record AuthSpec(AuthKind kind, String authorizationUrl, String tokenUrl, String revocationUrl, String userinfoUrl,
                       List<String> defaultScopes, TokenRequest tokenRequest, Duration defaultLifetime,
                       Map<String, String> extraTokenParameters, Map<String, String> defaults) {

    /** How token requests are encoded and how the client authenticates at the token endpoint. */
    public enum TokenRequest {
        /** {@code application/x-www-form-urlencoded} with {@code client_id} and {@code client_secret} in the body (most providers). */
        FORM_CLIENT_IN_BODY,
        /** Form body, client credentials as HTTP Basic (RFC 6749 §2.3.1). */
        FORM_CLIENT_BASIC,
        /** A JSON object with {@code client_id} and {@code client_secret} as members (SugarCRM). */
        JSON_CLIENT_IN_BODY
    }

    public AuthSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        if (kind != AuthKind.PASSWORD_GRANT && authorizationUrl == null) {
            throw new IllegalArgumentException("a code grant needs an authorization endpoint");
        }
        defaultScopes = defaultScopes == null ? List.of() : List.copyOf(defaultScopes);
        tokenRequest = tokenRequest == null ? TokenRequest.FORM_CLIENT_IN_BODY : tokenRequest;
        extraTokenParameters = extraTokenParameters == null ? Map.of() : Map.copyOf(extraTokenParameters);
        defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
    }

    /** A standard authorization-code provider with PKCE, form-encoded token requests and client credentials in the body. */
    public static AuthSpec codeWithPkce(String authorizationUrl, String tokenUrl, List<String> defaultScopes) {
        return new AuthSpec(AuthKind.OAUTH2_CODE_PKCE, authorizationUrl, tokenUrl, null, null, defaultScopes,
                TokenRequest.FORM_CLIENT_IN_BODY, Duration.ofHours(1), Map.of(), Map.of());
    }

    public AuthSpec withRevocationUrl(String url) {
        return new AuthSpec(kind, authorizationUrl, tokenUrl, url, userinfoUrl, defaultScopes, tokenRequest, defaultLifetime,
                extraTokenParameters, defaults);
    }

    public AuthSpec withUserinfoUrl(String url) {
        return new AuthSpec(kind, authorizationUrl, tokenUrl, revocationUrl, url, defaultScopes, tokenRequest, defaultLifetime,
                extraTokenParameters, defaults);
    }

    public AuthSpec withDefaultLifetime(Duration lifetime) {
        return new AuthSpec(kind, authorizationUrl, tokenUrl, revocationUrl, userinfoUrl, defaultScopes, tokenRequest, lifetime,
                extraTokenParameters, defaults);
    }

    public AuthSpec withDefaults(Map<String, String> values) {
        return new AuthSpec(kind, authorizationUrl, tokenUrl, revocationUrl, userinfoUrl, defaultScopes, tokenRequest, defaultLifetime,
                extraTokenParameters, values);
    }
}
