package io.switchboard.core.identity.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.core.api.ProblemException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an add-in developer registers for an app: CORS origins, return URLs for linking dialogs,
 * and the identity providers whose tokens sign users in. Stored as JSON with the app.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
record AppSettings(List<String> allowedOrigins, List<String> returnUrls, Identity identity, Config config) {

    static final String DEFAULT_ENTRA_AUTHORITY = "https://login.microsoftonline.com";
    static final String DEFAULT_GOOGLE_ISSUER = "https://accounts.google.com";
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?|chrome-extension://[a-p]{32}");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    AppSettings {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        returnUrls = returnUrls == null ? List.of() : List.copyOf(returnUrls);
        identity = identity == null ? new Identity(null, null, null, null) : identity;
        config = config == null ? new Config(false) : config;
    }

    AppSettings(List<String> allowedOrigins, List<String> returnUrls, Identity identity) {
        this(allowedOrigins, returnUrls, identity, null);
    }

    /** Configuration documents: {@code requireIfMatch} makes every write conditional (428 without If-Match). */
    record Config(boolean requireIfMatch) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Identity(Entra entra, Google google, List<Oidc> oidc, ExchangeLegacy exchangeLegacy) {
        Identity {
            oidc = oidc == null ? List.of() : List.copyOf(oidc);
        }
    }

    /**
     * Legacy Exchange identity tokens ({@code getUserIdentityTokenAsync}), for on-premises Exchange
     * only (Microsoft 365 turned them off in 2025). Off unless {@code enabled}.
     *
     * @param metadataUrls the allowed authentication metadata URLs ({@code amurl})
     * @param audiences the add-in URLs accepted as {@code aud}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExchangeLegacy(boolean enabled, List<String> metadataUrls, List<String> audiences) {
        ExchangeLegacy {
            metadataUrls = metadataUrls == null ? List.of() : List.copyOf(metadataUrls);
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
        }
    }

    /**
     * Microsoft Entra ID access tokens (Office SSO, nested app authentication).
     *
     * @param audiences accepted {@code aud} values: the API app's client id and/or App ID URI
     * @param requiredScope a scope that {@code scp} must contain, e.g. {@code access_as_user}
     * @param tenants allowed tenant ids, or {@code organizations} (any work tenant) or {@code common}
     * @param versions accepted token versions ({@code 1.0}, {@code 2.0}); default 2.0
     * @param authority authority base URL; default Microsoft's
     * @param issuerTemplate v2 issuer with {@code {tenantid}}; default {authority}/{tenantid}/v2.0
     * @param v1IssuerTemplate v1 issuer; default https://sts.windows.net/{tenantid}/
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entra(List<String> audiences, String requiredScope, List<String> tenants, List<String> versions,
                 String authority, String issuerTemplate, String v1IssuerTemplate) {
        Entra {
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            tenants = tenants == null || tenants.isEmpty() ? List.of("organizations") : List.copyOf(tenants);
            versions = versions == null || versions.isEmpty() ? List.of("2.0") : List.copyOf(versions);
            authority = blank(authority) ? DEFAULT_ENTRA_AUTHORITY : stripSlash(authority);
            issuerTemplate = blank(issuerTemplate) ? authority + "/{tenantid}/v2.0" : issuerTemplate;
            v1IssuerTemplate = blank(v1IssuerTemplate) ? "https://sts.windows.net/{tenantid}/" : v1IssuerTemplate;
        }
    }

    /** Google ID tokens (the Gmail extension). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Google(List<String> clientIds, List<String> hostedDomains, String issuer) {
        Google {
            clientIds = clientIds == null ? List.of() : List.copyOf(clientIds);
            hostedDomains = hostedDomains == null ? List.of() : List.copyOf(hostedDomains);
            issuer = blank(issuer) ? DEFAULT_GOOGLE_ISSUER : stripSlash(issuer);
        }
    }

    /** Any OpenID Connect issuer with discovery and JWKS. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Oidc(String issuer, String discoveryUrl, List<String> audiences, List<String> algorithms) {
        Oidc {
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256") : List.copyOf(algorithms);
            discoveryUrl = blank(discoveryUrl) && issuer != null ? stripSlash(issuer) + "/.well-known/openid-configuration" : discoveryUrl;
        }
    }

    /** Checks the settings and answers 400 with every problem found. */
    AppSettings validated() {
        List<String> errors = new ArrayList<>();
        for (String origin : allowedOrigins) {
            if (origin == null || !ORIGIN.matcher(origin).matches()) {
                errors.add("allowedOrigins: '" + origin + "' is not an origin (scheme://host[:port], no path)");
            }
        }
        for (String url : returnUrls) {
            if (!isAbsoluteHttpsOrExtension(url)) {
                errors.add("returnUrls: '" + url + "' must be an absolute https:// or https://<id>.chromiumapp.org/ URL");
            }
        }
        if (identity.entra() != null) {
            Entra e = identity.entra();
            if (e.audiences().isEmpty()) {
                errors.add("identity.entra.audiences: at least one client id or App ID URI");
            }
            for (String t : e.tenants()) {
                if (!t.equals("organizations") && !t.equals("common") && !GUID.matcher(t).matches()) {
                    errors.add("identity.entra.tenants: '" + t + "' is not a tenant id, 'organizations' or 'common'");
                }
            }
            for (String v : e.versions()) {
                if (!v.equals("1.0") && !v.equals("2.0")) {
                    errors.add("identity.entra.versions: '" + v + "' (1.0 or 2.0)");
                }
            }
            if (!e.issuerTemplate().contains("{tenantid}") || !e.v1IssuerTemplate().contains("{tenantid}")) {
                errors.add("identity.entra: issuer templates must contain {tenantid}");
            }
        }
        if (identity.google() != null && identity.google().clientIds().isEmpty()) {
            errors.add("identity.google.clientIds: at least one client id");
        }
        for (Oidc o : identity.oidc()) {
            if (blank(o.issuer())) {
                errors.add("identity.oidc[].issuer is required");
            }
            if (o.audiences().isEmpty()) {
                errors.add("identity.oidc[" + o.issuer() + "].audiences: at least one");
            }
            for (String alg : o.algorithms()) {
                if (!List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512").contains(alg)) {
                    errors.add("identity.oidc[" + o.issuer() + "].algorithms: '" + alg + "' is not an asymmetric JWS algorithm");
                }
            }
        }
        ExchangeLegacy exchange = identity.exchangeLegacy();
        if (exchange != null && exchange.enabled()) {
            if (exchange.metadataUrls().isEmpty() || exchange.audiences().isEmpty()) {
                errors.add("identity.exchangeLegacy: metadataUrls and audiences are required when enabled");
            }
            for (String url : exchange.metadataUrls()) {
                if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
                    errors.add("identity.exchangeLegacy.metadataUrls: '" + url + "' is not an absolute URL");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid app settings", String.join("; ", errors),
                    Map.of("errors", errors));
        }
        return this;
    }

    static boolean isAbsoluteHttpsOrExtension(String url) {
        try {
            URI uri = URI.create(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawFragment() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
