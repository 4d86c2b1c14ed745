package io.switchboard.connector.sugarcrm.internal;

import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * SugarCRM: no third-party code flow, so linking is the password grant on the
 * instance the user names (HTTPS, public addresses only), once, with the client {@code sugar}
 * and a dedicated {@code platform}; tokens go in the {@code OAuth-Token} header; refresh tokens
 * rotate; unlinking logs out ({@code POST /oauth2/logout}). The account is the instance host plus
 * the user id from {@code GET /me}.
 */
@Designate(ocd = SugarConfig.class)
@Component(service = Connector.class, configurationPid = SugarConfig.PID, property = Connector.ID + "=sugarcrm")
public class SugarConnector implements Connector {
    private final AuthSpec spec;

    @Activate
    public SugarConnector(SugarConfig config) {
        String rest = config.rest_path().replaceAll("/+$", "");
        this.spec = AuthSpec.builder(AuthKind.PASSWORD_GRANT)
                .tokenUrl("{instance}" + rest + "/oauth2/token")
                .tokenRequest(AuthSpec.TokenRequest.JSON_CLIENT_IN_BODY)
                .defaultLifetime(Duration.ofHours(1))
                .extraTokenParameters(Map.of("platform", "{platform}"))
                .defaults(Map.of("platform", config.platform(), "api.base.url", "{instance}" + rest))
                .build();
    }

    @Override
    public String displayName() {
        return "SugarCRM";
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    /** The instance's REST API, every version of it: {@code <instance path>/rest/}. */
    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        String path = URI.create(identity.baseUrl()).getRawPath();
        int rest = path == null ? -1 : path.indexOf("/rest/");
        return List.of(rest < 0 ? "/rest/" : path.substring(0, rest) + "/rest/");
    }

    @Override
    public Map<String, String> authorization(String accessToken) {
        return Map.of("OAuth-Token", accessToken);
    }

    @Override
    public AccountIdentity identify(LinkedAccount account, Upstream upstream) throws IOException {
        String api = account.endpoints().get("api");
        Upstream.Response r = upstream.send(new Upstream.Request("GET", api + "/me", authorization(account.tokens().accessToken()), null));
        if (!r.ok()) {
            throw new IOException("GET /me answered " + r.status());
        }
        Map<String, Object> me = upstream.parseObject(r.body());
        if (!(me.get("current_user") instanceof Map<?, ?> user) || user.get("id") == null) {
            throw new IOException("GET /me has no current_user");
        }
        String host = URI.create(api).getHost();
        Object name = user.get("user_name") != null ? user.get("user_name") : user.get("full_name");
        return new AccountIdentity(host + "/" + user.get("id"), name + " @ " + host, api);
    }

    /** Sugar ends the session (and its refresh token) at logout. */
    @Override
    public void revoke(LinkedAccount account, Upstream upstream) throws IOException {
        String api = account.endpoints().get("api");
        Upstream.Response r = upstream.send(new Upstream.Request("POST", api + "/oauth2/logout",
                Map.of("OAuth-Token", account.tokens().accessToken(), "Content-Type", "application/json"), "{}"));
        if (!r.ok() && r.status() != 401) {
            throw new IOException("logout answered " + r.status());
        }
    }
}
