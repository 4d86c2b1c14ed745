package io.switchboard.core.linking.internal;

import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.OutboundBudget;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One connector per factory configuration of {@value GenericConnectorConfig#PID}: the whole
 * connector is declaration. The configuration's {@code connector.id} becomes the service property.
 */
@Designate(ocd = GenericConnectorConfig.class, factory = true)
@Component(service = Connector.class, configurationPid = GenericConnectorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class GenericConnector implements Connector {
    private final String displayName;
    private final AuthSpec spec;
    private final String tokenHeader;
    private final OutboundBudget budget;
    private final List<String> proxyPaths;

    @Activate
    public GenericConnector(GenericConnectorConfig config) {
        if (!ConnectorIds.valid(config.connector_id())) {
            throw new IllegalArgumentException("invalid connector.id");
        }
        this.displayName = config.display_name().isBlank() ? config.connector_id() : config.display_name();
        Map<String, String> extra = new LinkedHashMap<>();
        for (String pair : config.extra_token_parameters()) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                extra.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        this.spec = AuthSpec.builder(AuthKind.valueOf(config.auth_kind()))
                .authorizationUrl(blankToNull(config.authorization_url()))
                .tokenUrl(config.token_url())
                .revocationUrl(blankToNull(config.revocation_url()))
                .userinfoUrl(config.userinfo_url())
                .scopes(config.scopes())
                .tokenRequest(AuthSpec.TokenRequest.valueOf(config.token_request()))
                .defaultLifetime(config.default_lifetime_seconds() > 0 ? Duration.ofSeconds(config.default_lifetime_seconds()) : null)
                .extraTokenParameters(extra)
                .defaults(Map.of("api.base.url", config.api_base_url()))
                .build();
        this.tokenHeader = config.token_header();
        this.proxyPaths = Arrays.stream(config.proxy_paths()).map(String::trim).filter(p -> !p.isEmpty())
                .map(p -> (p.startsWith("/") ? p : "/" + p).replaceAll("/*$", "/")).toList();
        this.budget = OutboundBudget.configured(config.budget_requests(), config.budget_window_seconds());
    }

    @Override
    public OutboundBudget budget() {
        return budget;
    }

    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        return proxyPaths.isEmpty() ? Connector.super.proxyPaths(identity) : proxyPaths;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    @Override
    public Map<String, String> authorization(String accessToken) {
        return "Authorization".equalsIgnoreCase(tokenHeader) ? Map.of("Authorization", "Bearer " + accessToken)
                : Map.of(tokenHeader, accessToken);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
