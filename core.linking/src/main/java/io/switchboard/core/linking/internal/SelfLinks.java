package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.outbound.api.GrantRefusedException;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.outbound.api.ProviderUnavailableException;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "My own mailbox" without a second consent screen: the add-in hands over the access token it
 * holds for the app's own API (Office SSO or nested app authentication), and the connector's
 * on-behalf-of grant trades it for the provider's tokens of the same user ({@link Connector#onBehalfOf}).
 * Only where the app allows it (its connector option {@value #OPTION} {@code =obo}: its Entra app
 * registration is the add-in's API and has consent for the scopes), and only when the account the
 * tokens reach is the signed-in user's own ({@link Connector#samePerson}); anything else is kept
 * nowhere.
 */
@Component(service = SelfLinks.class)
public class SelfLinks {
    static final String OPTION = "self.link";
    private static final Logger LOG = LoggerFactory.getLogger(SelfLinks.class);

    private final ConnectorRegistry connectors;
    private final AppConnectorService appConnectors;
    private final ProviderCalls calls;
    private final TokenVault vault;

    @Activate
    public SelfLinks(@Reference ConnectorRegistry connectors, @Reference AppConnectorService appConnectors, @Reference ProviderCalls calls,
                     @Reference TokenVault vault) {
        this.connectors = connectors;
        this.appConnectors = appConnectors;
        this.calls = calls;
        this.vault = vault;
    }

    /**
     * Links the signed-in user's own account of the connector from the add-in's token.
     *
     * @return the account's id
     * @throws ProblemException 409 {@code self-link-not-enabled} (the app or the connector does not
     *     offer it), 409 {@code self-link-refused} (the provider refused the trade, most often for
     *     lack of consent: link through the dialog instead), 403 {@code not-the-signed-in-user}, 502
     *     when the provider cannot be reached or the account not identified
     */
    String link(Caller caller, String connectorId, String assertion) {
        Connector connector = connectors.require(connectorId);
        ConnectorSettings settings = appConnectors.settings(caller.appId(), connectorId);
        Map<String, String> grant = new LinkedHashMap<>(assertion == null || assertion.isBlank() ? Map.of() : connector.onBehalfOf(assertion));
        if (grant.isEmpty() || !"obo".equals(settings.options().get(OPTION))) {
            throw new ProblemException(409, "self-link-not-enabled", "Self link not enabled", grant.isEmpty() && assertion != null
                    && !assertion.isBlank() ? "the connector '" + connectorId + "' has no on-behalf-of grant"
                    : "send the add-in's access token for the app's API as assertion, to an app whose connector option " + OPTION + " is obo");
        }
        grant.put("scope", String.join(" ", connector.scopes(settings)));
        String tokenUrl = connector.auth().endpoints(settings, null).get("token");
        TokenSet tokens;
        try {
            tokens = calls.requestTokens(connector, settings, tokenUrl, grant, null, Instant.now());
        } catch (GrantRefusedException e) {
            LOG.info("self link {} for app {}: the token endpoint refused ({})", connectorId, caller.appId(), e.error());
            throw new ProblemException(409, "self-link-refused", "Self link refused", "the provider refused to trade the token ("
                    + e.error() + "; most often the user or an admin has not consented yet): link through the dialog instead");
        } catch (ProviderUnavailableException e) {
            throw new ProblemException(502, "upstream-unreachable", "Upstream unreachable", "the provider's token endpoint: " + e.getMessage());
        }
        AccountIdentity identity;
        try {
            identity = LinkService.identify(connector, settings, tokenUrl, tokens, null, calls);
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(502, "identity-unavailable", "Identity unavailable", "the account could not be identified");
        }
        Object issuer = caller.claims().get("idp");
        Object subject = caller.claims().get("ext");
        if (issuer == null || subject == null || !connector.samePerson(identity.externalId(), String.valueOf(issuer), String.valueOf(subject))) {
            LOG.warn("self link {} for app {}: the token reached another person's account; nothing kept", connectorId, caller.appId());
            throw new ProblemException(403, "not-the-signed-in-user", "Not the signed-in user",
                    "the token belongs to someone other than the signed-in user");
        }
        String id = vault.storeLinked(caller.appId(), caller.userId(), connectorId, identity, tokens, tokenUrl, null);
        LOG.info("linked account {} ({}) on behalf of user {} of app {}", id, connectorId, caller.userId(), caller.appId());
        return id;
    }
}
