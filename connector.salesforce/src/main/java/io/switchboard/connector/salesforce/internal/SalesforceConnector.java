package io.switchboard.connector.salesforce.internal;

import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Salesforce. Linking is the authorization code grant with PKCE at
 * {@code https://<login.host>} (an app sets {@code login.host} for a sandbox or My Domain).
 * Token responses carry no {@code expires_in} (the org's session timeout applies, so a 401 is
 * the signal to refresh), but {@code instance_url}, {@code id}, {@code issued_at} and an HMAC
 * {@code signature} keyed with the client secret: the signature is checked, and the instance and
 * identity URLs must be HTTPS on a Salesforce host. The account is {@code <org id>/<user id>},
 * its base URL {@code <instance_url>/services/data/<version>}.
 */
@Designate(ocd = SalesforceConfig.class)
@Component(service = Connector.class, configurationPid = SalesforceConfig.PID, property = Connector.ID + "=salesforce")
public class SalesforceConnector implements Connector {
    private final AuthSpec spec;
    private final String apiVersion;
    private final List<String> suffixes;
    private final Set<String> trustedTestHosts;

    @Activate
    public SalesforceConnector(SalesforceConfig config) {
        String base = config.login_url().isBlank() ? "https://{login.host}" : config.login_url().replaceAll("/+$", "");
        this.spec = AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE)
                .authorizationUrl(base + "/services/oauth2/authorize")
                .tokenUrl(base + "/services/oauth2/token")
                .revocationUrl(base + "/services/oauth2/revoke")
                .scopes(config.scopes())
                .defaults(Map.of("login.host", config.login_host()))
                .build(); // no assumed lifetime: Salesforce sends no expires_in, a token lasts until a 401
        this.apiVersion = config.api_version();
        this.suffixes = List.of(config.instance_host_suffixes());
        this.trustedTestHosts = Set.of(config.trusted_test_hosts());
    }

    @Override
    public String displayName() {
        return "Salesforce";
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    /** The REST API and the org's own Apex REST services, as jsforce and the documentation write them. */
    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        return List.of("/services/data/", "/services/apexrest/");
    }

    @Override
    public TokenSet readTokens(Map<String, Object> response, ConnectorSettings settings, Instant now) throws IOException {
        TokenSet tokens = TokenSet.standard(response, now, null);
        Map<String, String> a = tokens.attributes();
        String id = a.get("id");
        String instance = a.get("instance_url");
        if (id == null || instance == null) {
            throw new IOException("a Salesforce token response without id or instance_url");
        }
        checkSalesforceUrl(instance, "instance_url");
        checkSalesforceUrl(id, "id");
        Object signature = response.get("signature");
        if (!settings.clientSecret().isEmpty()) {
            // Salesforce signs every code and refresh response of a client with a secret: one without a signature is not its own.
            String expected = hmac(settings.clientSecret(), id + a.getOrDefault("issued_at", ""));
            if (!(signature instanceof String sig)
                    || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
                throw new IOException("the token response's signature does not match");
            }
        }
        return tokens;
    }

    @Override
    public AccountIdentity identify(LinkedAccount account, Upstream upstream) throws IOException {
        Map<String, String> a = account.tokens().attributes();
        String idUrl = a.get("id");
        checkSalesforceUrl(idUrl, "id");
        Upstream.Response r = upstream.send(new Upstream.Request("GET", idUrl, authorization(account.tokens().accessToken()), null));
        if (!r.ok()) {
            throw new IOException("the identity URL answered " + r.status());
        }
        Map<String, Object> info = upstream.parseObject(r.body());
        Object org = info.get("organization_id");
        Object user = info.get("user_id");
        if (!(org instanceof String) || !(user instanceof String)) {
            throw new IOException("the identity response has no organization_id or user_id");
        }
        Object name = info.get("username") != null ? info.get("username") : info.get("display_name");
        String instance = a.get("instance_url").replaceAll("/+$", "");
        return new AccountIdentity(org + "/" + user, name == null ? null : String.valueOf(name),
                instance + "/services/data/" + apiVersion);
    }

    /** S16: Salesforce's own URLs must be HTTPS on a Salesforce host (the fake's host in tests). */
    private void checkSalesforceUrl(String url, String what) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " is not a URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null) {
            throw new IOException(what + " carries user information");
        }
        if (trustedTestHosts.contains(host)) {
            return;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || suffixes.stream().noneMatch(s -> host.endsWith(s.toLowerCase(Locale.ROOT)))) {
            throw new IOException(what + " is not an HTTPS Salesforce URL");
        }
    }

    static String hmac(String key, String value) throws IOException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("HMAC-SHA256 unavailable", e);
        }
    }
}
