package io.switchboard.core.api.connector;

import io.switchboard.core.api.ProblemException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param authorizationParameters fixed parameters added to the authorization request (templates like the
 *     URLs; e.g. Google's {@code access_type=offline} and {@code prompt=consent}, without which no refresh
 *     token is issued); they never replace the parameters Switchboard sets ({@code client_id},
 *     {@code redirect_uri}, {@code scope}, {@code state}, the PKCE challenge)
 */
public record AuthSpec(AuthKind kind, String authorizationUrl, String tokenUrl, String revocationUrl, String userinfoUrl,
                       List<String> defaultScopes, TokenRequest tokenRequest, Duration defaultLifetime,
                       Map<String, String> extraTokenParameters, Map<String, String> defaults,
                       Map<String, String> authorizationParameters) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9._-]+)}");

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
        authorizationParameters = authorizationParameters == null ? Map.of() : Map.copyOf(authorizationParameters);
    }

    /** A declaration without extra authorization parameters (the members of connector API 2.1). */
    public AuthSpec(AuthKind kind, String authorizationUrl, String tokenUrl, String revocationUrl, String userinfoUrl,
                    List<String> defaultScopes, TokenRequest tokenRequest, Duration defaultLifetime,
                    Map<String, String> extraTokenParameters, Map<String, String> defaults) {
        this(kind, authorizationUrl, tokenUrl, revocationUrl, userinfoUrl, defaultScopes, tokenRequest, defaultLifetime,
                extraTokenParameters, defaults, null);
    }

    /**
     * A declaration for accounts linked the given way, built by name:
     * {@code AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE).authorizationUrl(…).tokenUrl(…).scopes("api").build()}.
     * Unset members take the record's defaults (no revocation or userinfo endpoint, no scopes,
     * form-encoded token requests with the client in the body, no assumed lifetime).
     */
    public static Builder builder(AuthKind kind) {
        return new Builder(kind);
    }

    /** A standard authorization-code provider with PKCE, form-encoded token requests and client credentials in the body. */
    public static AuthSpec codeWithPkce(String authorizationUrl, String tokenUrl, List<String> defaultScopes) {
        return builder(AuthKind.OAUTH2_CODE_PKCE).authorizationUrl(authorizationUrl).tokenUrl(tokenUrl).scopes(defaultScopes)
                .defaultLifetime(Duration.ofHours(1)).build();
    }

    /** A builder holding this declaration, to change some of it. */
    public Builder toBuilder() {
        return builder(kind).authorizationUrl(authorizationUrl).tokenUrl(tokenUrl).revocationUrl(revocationUrl).userinfoUrl(userinfoUrl)
                .scopes(defaultScopes).tokenRequest(tokenRequest).defaultLifetime(defaultLifetime)
                .extraTokenParameters(extraTokenParameters).defaults(defaults).authorizationParameters(authorizationParameters);
    }

    public AuthSpec withRevocationUrl(String url) {
        return toBuilder().revocationUrl(url).build();
    }

    public AuthSpec withUserinfoUrl(String url) {
        return toBuilder().userinfoUrl(url).build();
    }

    public AuthSpec withDefaultLifetime(Duration lifetime) {
        return toBuilder().defaultLifetime(lifetime).build();
    }

    public AuthSpec withDefaults(Map<String, String> values) {
        return toBuilder().defaults(values).build();
    }

    /** Builds an {@link AuthSpec} member by member; {@link #build()} checks it as the record does. */
    public static final class Builder {
        private final AuthKind kind;
        private String authorizationUrl;
        private String tokenUrl;
        private String revocationUrl;
        private String userinfoUrl;
        private List<String> scopes = List.of();
        private TokenRequest tokenRequest = TokenRequest.FORM_CLIENT_IN_BODY;
        private Duration defaultLifetime;
        private Map<String, String> extraTokenParameters = Map.of();
        private Map<String, String> defaults = Map.of();
        private Map<String, String> authorizationParameters = Map.of();

        private Builder(AuthKind kind) {
            this.kind = kind;
        }

        /** The authorization endpoint (code grants). */
        public Builder authorizationUrl(String url) {
            this.authorizationUrl = url;
            return this;
        }

        /** The token endpoint (required). */
        public Builder tokenUrl(String url) {
            this.tokenUrl = url;
            return this;
        }

        /** An RFC 7009 revocation endpoint. */
        public Builder revocationUrl(String url) {
            this.revocationUrl = url;
            return this;
        }

        /** An OpenID Connect userinfo endpoint, for the default {@link Connector#identify}. */
        public Builder userinfoUrl(String url) {
            this.userinfoUrl = url;
            return this;
        }

        /** Scopes requested when the app configures none. */
        public Builder scopes(List<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        /** Scopes requested when the app configures none. */
        public Builder scopes(String... scopes) {
            return scopes(List.of(scopes));
        }

        /** How token requests are encoded and the client authenticates. */
        public Builder tokenRequest(TokenRequest tokenRequest) {
            this.tokenRequest = tokenRequest;
            return this;
        }

        /** The lifetime assumed when a token response has no {@code expires_in}; {@code null}: until the provider answers 401. */
        public Builder defaultLifetime(Duration lifetime) {
            this.defaultLifetime = lifetime;
            return this;
        }

        /** Fixed parameters added to every token request (templates like the URLs). */
        public Builder extraTokenParameters(Map<String, String> parameters) {
            this.extraTokenParameters = parameters;
            return this;
        }

        /** Values for the template names an app does not set. */
        public Builder defaults(Map<String, String> values) {
            this.defaults = values;
            return this;
        }

        /** Fixed parameters added to the authorization request (templates like the URLs). */
        public Builder authorizationParameters(Map<String, String> parameters) {
            this.authorizationParameters = parameters;
            return this;
        }

        public AuthSpec build() {
            return new AuthSpec(kind, authorizationUrl, tokenUrl, revocationUrl, userinfoUrl, scopes, tokenRequest, defaultLifetime,
                    extraTokenParameters, defaults, authorizationParameters);
        }
    }

    /**
     * The endpoints of this declaration with their templates filled for one app (and, for a
     * password grant, the instance the user typed): {@code authorization}, {@code token},
     * {@code revocation}, {@code userinfo}, {@code api} (the option or default {@code api.base.url})
     * and {@code instance}, those that are declared.
     *
     * @throws ProblemException 500 {@code connector-misconfigured} when a template names an option nobody set
     */
    public Map<String, String> endpoints(ConnectorSettings settings, String instanceUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        putFilled(out, "authorization", authorizationUrl, settings, instanceUrl);
        putFilled(out, "token", tokenUrl, settings, instanceUrl);
        putFilled(out, "revocation", revocationUrl, settings, instanceUrl);
        putFilled(out, "userinfo", userinfoUrl, settings, instanceUrl);
        putFilled(out, "api", settings.options().getOrDefault("api.base.url", defaults.get("api.base.url")), settings, instanceUrl);
        if (instanceUrl != null) {
            out.put("instance", instanceUrl);
        }
        return out;
    }

    /**
     * A template filled: {@code {instance}} by the instance URL, any other {@code {name}} by the
     * app's option of that name, else by {@link #defaults()}.
     *
     * @throws ProblemException 500 {@code connector-misconfigured} when a name has no value
     */
    public String fill(String template, ConnectorSettings settings, String instanceUrl) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = "instance".equals(name) ? instanceUrl : settings.options().getOrDefault(name, defaults.get(name));
            if (value == null) {
                throw new ProblemException(500, "connector-misconfigured", "Connector misconfigured",
                        "the connector needs the option '" + name + "', which the app has not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void putFilled(Map<String, String> out, String key, String template, ConnectorSettings settings, String instanceUrl) {
        if (template != null && !template.isBlank()) {
            out.put(key, fill(template, settings, instanceUrl));
        }
    }
}
