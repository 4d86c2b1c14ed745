package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.util.Digests;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.linking.internal.LinkingEntities.FlowEntity;
import io.switchboard.core.linking.internal.LinkingEntities.TicketEntity;
import io.switchboard.core.outbound.api.GrantRefusedException;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.outbound.api.ProviderUnavailableException;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.SealedSecrets;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account linking (docs/security.md S7–S10): a one-time ticket carries the signed-in user into the dialog; the
 * start page records a flow (state, PKCE verifier, browser binding, the authorization server
 * and redirect URI) and sends the browser to the provider; the callback accepts a state only
 * once, only in the browser that started it, only before it expires, and redeems the code only
 * at the token endpoint recorded for the flow. Nothing is sent to a token endpoint before all
 * of that holds. Password-grant connectors get a form instead of the redirect.
 */
@Designate(ocd = LinkingConfig.class)
@Component(service = LinkService.class, configurationPid = LinkingConfig.PID)
public class LinkService {
    private static final Logger LOG = LoggerFactory.getLogger(LinkService.class);
    static final String CALLBACK_PATH = "/v1/connect/callback";

    /** A linking failure reported to the dialog's opener; {@code error} is a short code, never a secret. */
    static final class LinkFailure extends RuntimeException {
        final String error;
        final String returnUrl;
        final int status;

        LinkFailure(String error, String returnUrl, int status) {
            super(error, null, false, false);
            this.error = error;
            this.returnUrl = returnUrl;
            this.status = status;
        }
    }

    record Ticket(String ticket, Instant expiresAt) {}

    /** Where {@code start} leads: a redirect to the provider, or the password form. */
    record Started(String location, String state, String binding, String connectorName, boolean passwordForm, String userLabel,
                   String appName) {}

    record Linked(String accountId, String returnUrl) {}

    private record Flow(String appId, String userId, String connectorId, String verifier, String tokenUrl, String redirectUri,
                        String returnUrl) {}

    private final Store store;
    private final EntityManagerFactory unit;
    private final SealedSecrets secrets;
    private final ConnectorRegistry connectors;
    private final AppConnectorService appConnectors;
    private final TokenVault vault;
    private final ProviderCalls calls;
    private final AppDirectory apps;
    private final Duration ticketLifetime;
    private final Duration flowLifetime;
    private final PasswordAttempts attempts;
    private final String publicUrl;

    /** Tests may register a {@link Clock} with {@code switchboard.clock=test} to compress time (as for the vault). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(switchboard.clock=test)")
    private volatile Clock testClock;

    @Activate
    public LinkService(@Reference Store store, @Reference(target = "(osgi.unit.name=switchboard.linking)") EntityManagerFactory unit,
                       @Reference SealedSecrets secrets, @Reference ConnectorRegistry connectors,
                       @Reference AppConnectorService appConnectors, @Reference TokenVault vault,
                       @Reference ProviderCalls calls, @Reference AppDirectory apps, LinkingConfig config) {
        this.store = store;
        this.unit = unit;
        this.secrets = secrets;
        this.connectors = connectors;
        this.appConnectors = appConnectors;
        this.vault = vault;
        this.calls = calls;
        this.apps = apps;
        this.ticketLifetime = Duration.ofSeconds(Math.max(5, config.ticket_seconds()));
        this.flowLifetime = Duration.ofSeconds(Math.max(30, config.flow_seconds()));
        this.attempts = new PasswordAttempts(store, unit, config.password_attempts_per_flow(), config.password_attempts_per_user_hour(),
                this::now);
        this.publicUrl = config.public_url().replaceAll("/+$", "");
    }

    private Instant now() {
        Clock c = testClock;
        return c == null ? Instant.now() : c.instant();
    }

    String publicUrl(String requestBase) {
        return publicUrl.isEmpty() ? requestBase.replaceAll("/+$", "") : publicUrl;
    }

    Ticket ticket(Caller p, String connectorId) {
        connectors.require(connectorId);
        appConnectors.settings(p.appId(), connectorId); // 404 unless the app enabled it
        String ticket = FlowSecrets.random();
        Instant expires = now().plus(ticketLifetime);
        store.run(unit, em -> {
            TicketEntity row = new TicketEntity();
            row.ticketHash = Digests.sha256Hex(ticket);
            row.appId = p.appId();
            row.userId = p.userId();
            row.connectorId = connectorId;
            row.expiresAt = Timestamp.from(expires);
            row.userLabel = userLabel(p);
            em.persist(row);
        });
        if (java.util.concurrent.ThreadLocalRandom.current().nextInt(64) == 0) {
            int purged = purge(); // old tickets and flows go away as new ones come, with no scheduler of their own
            LOG.debug("purged {} expired tickets and flows", purged);
        }
        return new Ticket(ticket, expires);
    }

    Started start(String connectorId, String ticket, String returnUrl, String base) {
        Instant now = now();
        TicketEntity t = ticket == null || ticket.isEmpty() ? null : store.transaction(unit, em -> {
            TicketEntity row = em.find(TicketEntity.class, Digests.sha256Hex(ticket), LockModeType.PESSIMISTIC_WRITE);
            if (row == null || row.usedAt != null || !row.connectorId.equals(connectorId) || !now.isBefore(row.expiresAt.toInstant())) {
                return null;
            }
            row.usedAt = Timestamp.from(now);
            return row;
        });
        if (t == null) {
            throw new LinkFailure("invalid_ticket", null, 400);
        }
        if (returnUrl != null && !returnUrl.isEmpty()) {
            List<String> allowed = apps.find(t.appId).map(AppDirectory.AppInfo::returnUrls).orElse(List.of());
            if (!allowed.contains(returnUrl)) {
                throw new LinkFailure("invalid_return_url", null, 400);
            }
        }
        String back = returnUrl == null || returnUrl.isEmpty() ? null : returnUrl;
        Connector connector = connectors.find(connectorId).orElseThrow(() -> new LinkFailure("connector_unavailable", back, 503));
        ConnectorSettings settings;
        try {
            settings = appConnectors.settings(t.appId, connectorId);
        } catch (ProblemException e) {
            throw new LinkFailure("connector_not_enabled", back, 404);
        }
        AuthSpec spec = connector.auth();
        boolean password = spec.kind() == AuthKind.PASSWORD_GRANT;
        Map<String, String> endpoints = password ? Map.of() : spec.endpoints(settings, null);
        String state = FlowSecrets.random();
        String binding = FlowSecrets.random();
        String stateHash = Digests.sha256Hex(state);
        String verifier = spec.kind() == AuthKind.OAUTH2_CODE_PKCE ? FlowSecrets.random() : null;
        String redirectUri = publicUrl(base) + CALLBACK_PATH;
        store.run(unit, em -> {
            FlowEntity f = new FlowEntity();
            f.stateHash = stateHash;
            f.appId = t.appId;
            f.userId = t.userId;
            f.connectorId = connectorId;
            f.userLabel = t.userLabel;
            f.bindingHash = Digests.sha256Hex(binding);
            f.verifier = verifier == null ? null : secrets.seal(verifier, t.appId, stateHash, "verifier");
            f.tokenUrl = password ? spec.tokenUrl() : endpoints.get("token");
            f.redirectUri = password ? "" : redirectUri;
            f.returnUrl = back;
            f.expiresAt = Timestamp.from(now.plus(flowLifetime));
            em.persist(f);
        });
        if (password) {
            return new Started(null, state, binding, connector.displayName(), true, t.userLabel,
                    apps.find(t.appId).map(AppDirectory.AppInfo::name).orElse(t.appId));
        }
        Map<String, String> q = new LinkedHashMap<>();
        spec.authorizationParameters().forEach((k, v) -> q.put(k, spec.fill(v, settings, null)));
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri);
        List<String> scopes = connector.scopes(settings);
        if (!scopes.isEmpty()) {
            q.put("scope", String.join(" ", scopes));
        }
        q.put("state", state);
        if (verifier != null) {
            q.put("code_challenge", FlowSecrets.s256(verifier));
            q.put("code_challenge_method", "S256");
        }
        String authorize = endpoints.get("authorization");
        StringBuilder query = new StringBuilder();
        q.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String location = authorize + (authorize.contains("?") ? "&" : "?") + query;
        return new Started(location, state, binding, connector.displayName(), false, t.userLabel, null);
    }

    /** How the linking page names the signed-in user: the name or email of their session, else nothing. */
    private static String userLabel(Caller caller) {
        for (String claim : List.of("name", "email")) {
            if (caller.claims().get(claim) instanceof String value && !value.isBlank()) {
                return value.length() > 320 ? value.substring(0, 320) : value;
            }
        }
        return null;
    }

    /** The provider sent the browser back. */
    Linked callback(String state, String code, String error, String binding) {
        Flow flow = consume(state, binding, false);
        if (error != null && !error.isEmpty()) {
            throw new LinkFailure(error.matches("[a-z_]{1,40}") ? error : "authorization_failed", flow.returnUrl(), 400);
        }
        if (code == null || code.isEmpty()) {
            throw new LinkFailure("missing_code", flow.returnUrl(), 400);
        }
        Connector connector = connectors.find(flow.connectorId()).orElseThrow(
                () -> new LinkFailure("connector_unavailable", flow.returnUrl(), 503));
        ConnectorSettings settings = appConnectors.settings(flow.appId(), flow.connectorId());
        Map<String, String> grant = new LinkedHashMap<>();
        grant.put("grant_type", "authorization_code");
        grant.put("code", code);
        grant.put("redirect_uri", flow.redirectUri());
        if (flow.verifier() != null) {
            grant.put("code_verifier", flow.verifier());
        }
        return finish(connector, settings, flow, flow.tokenUrl(), grant, null);
    }

    /**
     * The password form was submitted. The password is used once, here, and never stored or logged.
     * Every submission that reaches the instance counts: a flow takes {@code password.attempts.per.flow},
     * a user {@code password.attempts.per.user.hour} across flows; beyond either, the flow ends with
     * {@code too_many_attempts} and the instance is not asked (no password guessing through us).
     */
    Linked password(String state, String binding, String instanceUrl, String username, String password) {
        Flow flow = consume(state, binding, true);
        if (!attempts.userMayTry(flow.appId(), flow.userId())) {
            LOG.warn("linking {} for user {} of app {}: too many password tries in the last hour", flow.connectorId(), flow.userId(),
                    flow.appId());
            throw new LinkFailure("too_many_attempts", flow.returnUrl(), 429);
        }
        Connector connector = connectors.find(flow.connectorId()).orElseThrow(
                () -> new LinkFailure("connector_unavailable", flow.returnUrl(), 503));
        ConnectorSettings settings = appConnectors.settings(flow.appId(), flow.connectorId());
        try {
            String instance;
            try {
                instance = calls.instanceUrl(instanceUrl);
            } catch (ProblemException e) {
                throw new PasswordRetry("invalid_instance_url", e.detail());
            }
            if (username == null || username.isBlank() || password == null || password.isEmpty()) {
                throw new PasswordRetry("missing_credentials", "username and password are required");
            }
            String tokenUrl = connector.auth().fill(flow.tokenUrl(), settings, instance);
            Map<String, String> grant = new LinkedHashMap<>();
            grant.put("grant_type", "password");
            grant.put("username", username);
            grant.put("password", password);
            Linked linked = finish(connector, settings, flow, tokenUrl, grant, instance);
            attempts.count(state, false, true);
            return linked;
        } catch (PasswordRetry e) {
            if (!attempts.count(state, true, "invalid_credentials".equals(e.error))) {
                throw new LinkFailure("too_many_attempts", flow.returnUrl(), 429);
            }
            throw e;
        } catch (LinkFailure e) {
            attempts.count(state, false, true);
            throw e;
        }
    }

    /** A password-form submission that the user can correct: the same flow stays open. */
    static final class PasswordRetry extends RuntimeException {
        final String error;

        PasswordRetry(String error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    private Linked finish(Connector connector, ConnectorSettings settings, Flow flow, String tokenUrl, Map<String, String> grant,
                          String instance) {
        Instant now = now();
        TokenSet tokens;
        try {
            tokens = calls.requestTokens(connector, settings, tokenUrl, grant, instance, now);
        } catch (GrantRefusedException e) {
            LOG.info("linking {} for app {}: token endpoint refused the grant ({})", flow.connectorId(), flow.appId(), e.error());
            if (instance != null && ("invalid_grant".equals(e.error()) || e.status() == 401)) {
                throw new PasswordRetry("invalid_credentials", "the instance refused these credentials");
            }
            throw new LinkFailure("token_request_failed", flow.returnUrl(), 502);
        } catch (ProviderUnavailableException e) {
            LOG.warn("linking {} for app {}: {}", flow.connectorId(), flow.appId(), e.getMessage());
            throw new LinkFailure("provider_unavailable", flow.returnUrl(), 502);
        }
        AccountIdentity identity;
        try {
            identity = identify(connector, settings, tokenUrl, tokens, instance, calls);
        } catch (IOException | RuntimeException e) {
            LOG.warn("linking {} for app {}: cannot identify the account ({})", flow.connectorId(), flow.appId(), e.getMessage());
            throw new LinkFailure("identity_unavailable", flow.returnUrl(), 502);
        }
        String id = vault.storeLinked(flow.appId(), flow.userId(), flow.connectorId(), identity, tokens, tokenUrl, instance);
        LOG.info("linked account {} ({}) for user {} of app {}", id, flow.connectorId(), flow.userId(), flow.appId());
        return new Linked(id, flow.returnUrl());
    }

    /** The account new tokens reach, as its connector identifies it: the last step of every link before the account is kept. */
    static AccountIdentity identify(Connector connector, ConnectorSettings settings, String tokenUrl, TokenSet tokens, String instance,
                                    io.switchboard.core.api.connector.Upstream calls) throws IOException {
        Map<String, String> endpoints = new LinkedHashMap<>(connector.auth().endpoints(settings, instance));
        endpoints.put("token", tokenUrl);
        return connector.identify(new LinkedAccount(settings, endpoints, tokens), calls);
    }

    private Flow consume(String state, String binding, boolean passwordFlow) {
        if (state == null || state.isEmpty()) {
            throw new LinkFailure("missing_state", null, 400);
        }
        Instant now = now();
        String hash = Digests.sha256Hex(state);
        Object result = store.transaction(unit, em -> {
            FlowEntity f = em.find(FlowEntity.class, hash, LockModeType.PESSIMISTIC_WRITE);
            if (f == null || f.usedAt != null || passwordFlow != f.redirectUri.isEmpty()) {
                return "invalid_state";
            }
            if (!now.isBefore(f.expiresAt.toInstant())) {
                return "expired_state";
            }
            if (binding == null || !Digests.constantTimeEquals(Digests.sha256Hex(binding), f.bindingHash)) {
                return "browser_mismatch";
            }
            f.usedAt = Timestamp.from(now);
            return new Flow(f.appId, f.userId, f.connectorId,
                    f.verifier == null ? null : secrets.open(f.verifier, f.appId, f.stateHash, "verifier"), f.tokenUrl, f.redirectUri,
                    f.returnUrl);
        });
        if (result instanceof String error) {
            LOG.info("linking callback refused: {}", error);
            throw new LinkFailure(error, null, 400);
        }
        return (Flow) result;
    }

    /** Deletes tickets and flows that expired more than an hour ago. */
    int purge() {
        Timestamp before = Timestamp.from(now().minus(Duration.ofHours(1)));
        return store.transaction(unit, em -> em.createQuery("DELETE FROM ConnectTicket t WHERE t.expiresAt < :b")
                .setParameter("b", before).executeUpdate()
                + em.createQuery("DELETE FROM ConnectFlow f WHERE f.expiresAt < :b").setParameter("b", before).executeUpdate());
    }
}
