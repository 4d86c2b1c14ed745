package io.switchboard.connector.google.internal;

import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.FeatureScopes;
import io.switchboard.core.api.connector.OutboundBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Gmail and Google Calendar accounts through Google's OAuth 2.0: authorization code with PKCE,
 * {@code access_type=offline} (without it no refresh token is issued) and {@code prompt=consent}
 * (without it a user who consented before gets none either), a refresh token that is not rotated
 * (a refresh answers without one: the one we have is kept), the account's {@code sub} and email
 * from OpenID Connect userinfo, and unlinking by revoking the refresh token. The proxy reaches
 * Gmail's and Calendar's paths at {@code www.googleapis.com}.
 */
@Designate(ocd = GoogleConfig.class)
@Component(service = Connector.class, configurationPid = GoogleConfig.PID, property = Connector.ID + "=google")
public class GoogleConnector implements Connector {
    private static final String SCOPE = "https://www.googleapis.com/auth/";
    /** What linking needs whatever the app uses: the identity (sub, email). */
    static final FeatureScopes FEATURES = new FeatureScopes(List.of("openid", "email", "profile"),
            Map.of("mail.read", List.of(SCOPE + "gmail.readonly"), "mail", List.of(SCOPE + "gmail.modify"),
                    "mail.send", List.of(SCOPE + "gmail.send"), "calendar.read", List.of(SCOPE + "calendar.readonly"),
                    "calendar", List.of(SCOPE + "calendar")),
            List.of("mail", "mail.send", "calendar"));

    private final AuthSpec spec;
    private final OutboundBudget budget;

    @Activate
    public GoogleConnector(GoogleConfig config) {
        this.spec = AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE)
                .authorizationUrl(config.authorization_url())
                .tokenUrl(config.token_url())
                .revocationUrl(config.revocation_url())
                .userinfoUrl(config.userinfo_url())
                .scopes(FEATURES.defaultScopes())
                .defaultLifetime(Duration.ofHours(1))
                .authorizationParameters(Map.of("access_type", "offline", "prompt", "consent", "include_granted_scopes", "true"))
                .defaults(Map.of("api.base.url", config.api_url().replaceAll("/+$", "")))
                .build();
        this.budget = OutboundBudget.configured(config.budget_requests(), config.budget_window_seconds());
    }

    /** An account (Google's {@code sub}) is the user signed in with Google with that subject. */
    @Override
    public boolean samePerson(String externalId, String issuerKey, String subject) {
        return issuerKey != null && issuerKey.startsWith("google:") && externalId.equals(subject);
    }

    @Override
    public String displayName() {
        return "Google";
    }

    @Override
    public AuthSpec auth() {
        return spec;
    }

    @Override
    public List<String> scopes(ConnectorSettings settings) {
        return FEATURES.scopes(settings);
    }

    @Override
    public List<String> proxyPaths(AccountIdentity identity) {
        return List.of("/gmail/v1/", "/upload/gmail/v1/", "/calendar/v3/");
    }

    @Override
    public OutboundBudget budget() {
        return budget;
    }
}
