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

    /** The table for the mailbox providers, read from testkit's fakes as they answer on the wire. */
    @Test
    void microsoftAndGoogleInTheirOwnWords() throws Exception {
        try (io.switchboard.testkit.oauth.FakeMicrosoftLogin microsoft = new io.switchboard.testkit.oauth.FakeMicrosoftLogin("c", "s");
             io.switchboard.testkit.oauth.FakeGoogleOAuth google = new io.switchboard.testkit.oauth.FakeGoogleOAuth("c", "s")) {
            for (String refusal : new String[] {"interaction_required", "consent_required"}) {
                microsoft.failNextToken(refusal);
                assertThat(connector.grantDead(400, refresh(microsoft.tokenUrl()))).as("Microsoft " + refusal).isTrue();
            }
            assertThat(connector.grantDead(400, refresh(microsoft.tokenUrl()))).as("Microsoft AADSTS700082").isTrue();
            assertThat(connector.grantDead(400, refresh(google.tokenUrl()))).as("Google: expired or revoked").isTrue();
            microsoft.tokenEndpointDown(1);
            assertThat(connector.grantDead(503, refresh(microsoft.tokenUrl()))).as("Microsoft down: try later").isFalse();
            google.failNextToken("invalid_client");
            assertThat(connector.grantDead(401, refresh(google.tokenUrl()))).as("a bad client is the app's fault, not the user's").isFalse();
        }
    }

    private static Map<String, Object> refresh(String tokenUrl) throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(tokenUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=gone&client_id=c&client_secret=s"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return com.nimbusds.jose.util.JSONObjectUtils.parse(answer.body());
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
