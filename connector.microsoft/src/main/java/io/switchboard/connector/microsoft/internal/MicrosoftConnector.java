package io.switchboard.connector.microsoft.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.FeatureScopes;
import io.switchboard.core.api.connector.LinkedAccount;
import io.switchboard.core.api.connector.OutboundBudget;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Microsoft 365 mailboxes through the Microsoft identity platform (v2): authorization code with
 * PKCE at {@code login.microsoftonline.com/{tenant}}, {@code offline_access} always asked for (no
 * refresh token without it), refresh tokens that rotate at every use, and no revocation endpoint
 * (a user or admin removes the consent; unlinking drops the tokens here). The account is the
 * user's directory object: {@code tid/oid} from the id token, named by Graph {@code /me}
 * ({@code mail}, else {@code userPrincipalName}). The proxy reaches Graph's {@code /v1.0/} and
 * {@code /beta/}.
 */
@Designate(ocd = MicrosoftConfig.class)
@Component(service = Connector.class, configurationPid = MicrosoftConfig.PID, property = Connector.ID + "=microsoft")
public class MicrosoftConnector implements Connector {
    /** What linking needs whatever the app uses: a refresh token, the id token's tid/oid, the /me call. */
    static final FeatureScopes FEATURES = new FeatureScopes(List.of("offline_access", "openid", "profile", "email", "User.Read"),
            Map.of("mail.read", List.of("Mail.Read"), "mail", List.of("Mail.ReadWrite"), "mail.send", List.of("Mail.Send"),
                    "calendar.read", List.of("Calendars.Read"), "calendar", List.of("Calendars.ReadWrite"),
                    "mailbox.settings", List.of("MailboxSettings.Read")),
            List.of("mail", "mail.send", "calendar", "mailbox.settings"));

    private final AuthSpec spec;
    private final String graph;
    private final OutboundBudget budget;

    @Activate
    public MicrosoftConnector(MicrosoftConfig config) {
        this.graph = config.graph_url().replaceAll("/+$", "");
        this.spec = AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE)
                .authorizationUrl(config.authorization_url())
                .tokenUrl(config.token_url())
                .scopes(FEATURES.defaultScopes())
                .defaultLifetime(Duration.ofHours(1))
                .defaults(Map.of("tenant", config.tenant(), "api.base.url", graph))
                .build();
        OutboundBudget configured = OutboundBudget.configured(config.budget_requests(), config.budget_window_seconds());
        this.budget = configured == null || config.concurrent_calls() <= 0 ? configured : configured.withConcurrent(config.concurrent_calls());
    }

    @Override
    public String displayName() {
        return "Microsoft 365";
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    @Override
    public List<String> scopes(ConnectorSettings settings) {
        return FEATURES.scopes(settings);
    }

    /**
     * The standard response, plus the id token's {@code tid} and {@code oid} as attributes. The id
     * token is read without checking its signature: it came straight from the token endpoint over
     * TLS, which OpenID Connect Core §3.1.3.7 accepts in place of the signature.
     */
    @Override
    public TokenSet readTokens(Map<String, Object> response, ConnectorSettings settings, Instant now) throws IOException {
        TokenSet tokens = TokenSet.standard(response, now, spec.defaultLifetime());
        if (!(response.get("id_token") instanceof String idToken)) {
            return tokens;
        }
        try {
            JWTClaimsSet claims = JWTParser.parse(idToken).getJWTClaimsSet();
            Map<String, String> attributes = new LinkedHashMap<>(tokens.attributes());
            for (String claim : List.of("tid", "oid")) {
                if (claims.getClaim(claim) instanceof String value) {
                    attributes.put(claim, value);
                }
            }
            return new TokenSet(tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(), tokens.scopes(), attributes);
        } catch (ParseException e) {
            throw new IOException("the token response's id_token is not a JWT");
        }
    }

    /** Entra's on-behalf-of grant: the add-in's Office SSO token for the app's API, traded for Graph tokens of the same user. */
    @Override
    public Map<String, String> onBehalfOf(String assertion) {
        return Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion, "requested_token_use", "on_behalf_of");
    }

    /** An account ({@code <tid>/<oid>}) is the user signed in with Entra ID in that tenant with that object id. */
    @Override
    public boolean samePerson(String externalId, String issuerKey, String subject) {
        int slash = externalId.indexOf('/');
        return slash > 0 && subject != null && ("entra:" + externalId.substring(0, slash)).equalsIgnoreCase(String.valueOf(issuerKey))
                && externalId.substring(slash + 1).equalsIgnoreCase(subject);
    }

    @Override
    public AccountIdentity identify(LinkedAccount account, Upstream upstream) throws IOException {
        Upstream.Response r = upstream.send(new Upstream.Request("GET", graph + "/v1.0/me?$select=id,displayName,mail,userPrincipalName",
                authorization(account.tokens().accessToken()), null));
        if (!r.ok()) {
            throw new IOException("Graph /me answered " + r.status());
        }
        Map<String, Object> me = upstream.parseObject(r.body());
        if (!(me.get("id") instanceof String id) || id.isEmpty()) {
            throw new IOException("Graph /me without id");
        }
        String tenant = account.tokens().attributes().get("tid");
        Object name = me.get("mail") instanceof String mail && !mail.isEmpty() ? mail : me.get("userPrincipalName");
        return new AccountIdentity(tenant == null ? id : tenant + "/" + id, name == null ? id : String.valueOf(name), graph);
    }

    /** Graph's versions; not the identity platform, which is another host. */
    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        return List.of("/v1.0/", "/beta/");
    }

    @Override
    public OutboundBudget budget() {
        return budget;
    }
}
