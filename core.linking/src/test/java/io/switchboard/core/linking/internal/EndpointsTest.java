package io.switchboard.core.linking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AuthKind;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {
    private static final AuthSpec SALESFORCE_LIKE = AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE)
            .authorizationUrl("https://{login.host}/services/oauth2/authorize")
            .tokenUrl("https://{login.host}/services/oauth2/token")
            .revocationUrl("https://{login.host}/services/oauth2/revoke")
            .scopes("api", "refresh_token")
            .defaults(Map.of("login.host", "login.salesforce.com"))
            .build();

    @Test
    void declarationsAreBuiltByNameWithTheRecordsDefaults() {
        AuthSpec minimal = AuthSpec.builder(AuthKind.OAUTH2_CODE).authorizationUrl("https://a/authorize").tokenUrl("https://a/token").build();
        assertThat(minimal.revocationUrl()).isNull();
        assertThat(minimal.defaultScopes()).isEmpty();
        assertThat(minimal.tokenRequest()).isEqualTo(AuthSpec.TokenRequest.FORM_CLIENT_IN_BODY);
        assertThat(minimal.defaultLifetime()).isNull();
        assertThat(SALESFORCE_LIKE.toBuilder().build()).isEqualTo(SALESFORCE_LIKE);
        assertThat(SALESFORCE_LIKE.withUserinfoUrl("https://u").userinfoUrl()).isEqualTo("https://u");
        assertThatThrownBy(() -> AuthSpec.builder(AuthKind.OAUTH2_CODE_PKCE).tokenUrl("https://a/token").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void templatesTakeTheAppsOptionsThenTheDefaults() {
        Map<String, String> prod = SALESFORCE_LIKE.endpoints(new ConnectorSettings("id", "s", List.of(), Map.of()), null);
        assertThat(prod.get("token")).isEqualTo("https://login.salesforce.com/services/oauth2/token");
        Map<String, String> sandbox = SALESFORCE_LIKE.endpoints(new ConnectorSettings("id", "s", List.of(), Map.of("login.host", "test.salesforce.com")), null);
        assertThat(sandbox.get("authorization")).isEqualTo("https://test.salesforce.com/services/oauth2/authorize");
        assertThat(sandbox).doesNotContainKey("userinfo").doesNotContainKey("instance");
    }

    @Test
    void passwordGrantEndpointsUseTheInstance() {
        AuthSpec sugar = AuthSpec.builder(AuthKind.PASSWORD_GRANT)
                .tokenUrl("{instance}/rest/v11_x/oauth2/token")
                .tokenRequest(AuthSpec.TokenRequest.JSON_CLIENT_IN_BODY)
                .defaultLifetime(Duration.ofHours(1))
                .extraTokenParameters(Map.of("platform", "{platform}"))
                .defaults(Map.of("platform", "switchboard", "api.base.url", "{instance}/rest/v11_x"))
                .build();
        Map<String, String> e = sugar.endpoints(new ConnectorSettings("sugar", "", List.of(), Map.of()), "https://crm.example.com");
        assertThat(e).containsEntry("token", "https://crm.example.com/rest/v11_x/oauth2/token")
                .containsEntry("api", "https://crm.example.com/rest/v11_x").containsEntry("instance", "https://crm.example.com");
    }

    @Test
    void aMissingOptionIsAConfigurationProblem() {
        AuthSpec spec = AuthSpec.codeWithPkce("https://{tenant}.example.com/authorize", "https://x/token", List.of());
        assertThatThrownBy(() -> spec.endpoints(new ConnectorSettings("id", "s", List.of(), Map.of()), null))
                .isInstanceOf(ProblemException.class).hasMessageContaining("tenant");
    }

    @Test
    void standardTokenResponsesAndTheirQuirks() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        TokenSet hubspot = TokenSet.standard(Map.of("access_token", "a", "refresh_token", "r", "expires_in", 1800), now, null);
        assertThat(hubspot.expiresAt()).isEqualTo(now.plusSeconds(1800));
        TokenSet salesforce = TokenSet.standard(Map.of("access_token", "a", "instance_url", "https://na1.salesforce.com",
                "id", "https://login.salesforce.com/id/00D/005", "issued_at", "1700000000000", "signature", "sig"), now, null);
        assertThat(salesforce.expiresAt()).as("no expires_in: until the provider answers 401").isNull();
        assertThat(salesforce.refreshToken()).isNull();
        assertThat(salesforce.attributes()).containsKeys("instance_url", "id", "issued_at").doesNotContainKeys("signature", "access_token");
        assertThat(salesforce.toString()).doesNotContain("a,").doesNotContain("sig");
        TokenSet assumed = TokenSet.standard(Map.of("access_token", "a", "scope", "x y"), now, Duration.ofMinutes(30));
        assertThat(assumed.expiresAt()).isEqualTo(now.plusSeconds(1800));
        assertThat(assumed.scopes()).containsExactly("x", "y");
        assertThatThrownBy(() -> TokenSet.standard(Map.of("token_type", "Bearer"), now, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsNeverPrintTheSecret() {
        assertThat(new ConnectorSettings("id", "SECRET", List.of(), Map.of()).toString()).doesNotContain("SECRET");
    }
}
