package io.switchboard.core.api.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 17: which token-endpoint refusals mean "the user must link again" by default. */
class GrantDeadTest {
    private final Connector connector = new Connector() {
        @Override
        public String displayName() {
            return "test";
        }

        @Override
        public AuthSpec auth() {
            return AuthSpec.codeWithPkce("https://idp.example/authorize", "https://idp.example/token", java.util.List.of());
        }
    };

    @Test
    void oauthAndOpenIdConnectSayItWithTheirErrorCodes() {
        // Microsoft: a refresh token dead of inactivity, and the refusals that need the user back (MFA, consent, conditional access)
        assertThat(connector.grantDead(400, Map.of("error", "invalid_grant", "error_description",
                "AADSTS700082: The refresh token has expired due to inactivity.", "error_codes", java.util.List.of(700082)))).isTrue();
        for (String error : new String[] {"interaction_required", "consent_required", "login_required"}) {
            assertThat(connector.grantDead(400, Map.of("error", error))).as(error).isTrue();
        }
    }

    @Test
    void otherRefusalsAreNotADeadGrant() {
        for (String error : new String[] {"invalid_client", "invalid_request", "temporarily_unavailable", "unauthorized_client"}) {
            assertThat(connector.grantDead(400, Map.of("error", error))).as(error).isFalse();
        }
        assertThat(connector.grantDead(400, Map.of())).isFalse();
        assertThat(connector.grantDead(400, Map.of("status", "BAD_REFRESH_TOKEN"))).as("HubSpot's shape: its connector reads it").isFalse();
    }
}
