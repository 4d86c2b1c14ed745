package io.switchboard.connector.hubspot.internal;

import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.OutboundBudget;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * HubSpot: authorization code with PKCE, 30-minute access tokens whose refresh
 * returns a refresh token to keep, identity from {@code GET /oauth/v1/access-tokens/{token}}
 * ({@code hub_id} and user), the API at {@code https://api.hubapi.com}, unlinking by deleting the
 * refresh token, and the 100 requests / 10 s budget per account.
 */
@Designate(ocd = HubSpotConfig.class)
@Component(service = Connector.class, configurationPid = HubSpotConfig.PID, property = Connector.ID + "=hubspot")
public class HubSpotConnector implements Connector {
    static final List<String> PROXY_PATHS = List.of("/crm/", "/crm-associations/", "/engagements/", "/contacts/", "/companies/",
            "/deals/", "/owners/", "/properties/", "/files/", "/marketing/", "/automation/", "/cms/", "/conversations/",
            "/communication-preferences/", "/events/", "/settings/", "/account-info/", "/integrations/");

    private final AuthSpec spec;
    private final String api;
    private final OutboundBudget budget;

    @Activate
    public HubSpotConnector(HubSpotConfig config) {
        this.api = config.api_url().replaceAll("/+$", "");
        this.spec = AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE)
                .authorizationUrl(config.authorization_url())
                .tokenUrl(config.token_url())
                .scopes(config.scopes())
                .defaultLifetime(Duration.ofMinutes(30))
                .build();
        this.budget = OutboundBudget.configured(config.budget_requests(), config.budget_window_seconds());
    }

    @Override
    public String displayName() {
        return "HubSpot";
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    /** HubSpot's API families at {@code api.hubapi.com} as {@code @hubspot/api-client} calls them; not its OAuth endpoints. */
    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        return PROXY_PATHS;
    }

    @Override
    public AccountIdentity identify(LinkedAccount account, Upstream upstream) throws IOException {
        String token = account.tokens().accessToken();
        Upstream.Response r = upstream.send(new Upstream.Request("GET",
                api + "/oauth/v1/access-tokens/" + URLEncoder.encode(token, StandardCharsets.UTF_8), Map.of(), null));
        if (!r.ok()) {
            throw new IOException("the access-token info endpoint answered " + r.status());
        }
        Map<String, Object> info = upstream.parseObject(r.body());
        Object hub = info.get("hub_id");
        Object user = info.get("user_id") != null ? info.get("user_id") : info.get("user");
        if (hub == null || user == null) {
            throw new IOException("the access-token info has no hub_id or user");
        }
        String name = info.get("user") + (info.get("hub_domain") == null ? "" : " (" + info.get("hub_domain") + ")");
        return new AccountIdentity(hub + "/" + user, name, api);
    }

    /**
     * HubSpot answers a dead refresh token with 400 and a body of its own shape, without an OAuth
     * {@code error}: {@code {"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token",...}}.
     */
    @Override
    public boolean grantDead(int status, Map<String, Object> answer) {
        return "BAD_REFRESH_TOKEN".equals(answer.get("status")) || Connector.super.grantDead(status, answer);
    }

    /** HubSpot revokes a grant by deleting its refresh token. */
    @Override
    public void revoke(LinkedAccount account, Upstream upstream) throws IOException {
        String refresh = account.tokens().refreshToken();
        if (refresh == null) {
            return;
        }
        Upstream.Response r = upstream.send(new Upstream.Request("DELETE",
                api + "/oauth/v1/refresh-tokens/" + URLEncoder.encode(refresh, StandardCharsets.UTF_8), Map.of(), null));
        if (!r.ok() && r.status() != 404) {
            throw new IOException("refresh-token deletion answered " + r.status());
        }
    }

    @Override
    public OutboundBudget budget() {
        return budget;
    }
}
