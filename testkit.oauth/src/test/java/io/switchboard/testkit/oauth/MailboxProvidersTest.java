package io.switchboard.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 17: Microsoft's and Google's token endpoints refuse as they document, for the mailbox connectors to come (issue 16). */
class MailboxProvidersTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void microsoftSaysWhyWithAadstsCodes() throws Exception {
        try (FakeMicrosoftLogin microsoft = new FakeMicrosoftLogin("ms-client", "ms-secret")) {
            assertThat(microsoft.tokenUrl()).endsWith("/common/oauth2/v2.0/token");
            microsoft.failNextToken("interaction_required");
            HttpResponse<String> mfa = refresh(microsoft.tokenUrl(), "ms-client", "ms-secret");
            assertThat(mfa.statusCode()).isEqualTo(400);
            assertThat(mfa.body()).contains("\"error\":\"interaction_required\"").contains("AADSTS50076").contains("\"error_codes\":[50076]")
                    .contains("trace_id").contains("correlation_id");
            microsoft.failNextToken("consent_required");
            assertThat(refresh(microsoft.tokenUrl(), "ms-client", "ms-secret").body()).contains("\"error\":\"invalid_grant\"")
                    .contains("AADSTS65001").contains("\"suberror\":\"consent_required\"");
            HttpResponse<String> dead = refresh(microsoft.tokenUrl(), "ms-client", "ms-secret"); // an unknown refresh token
            assertThat(dead.body()).contains("\"error\":\"invalid_grant\"").contains("AADSTS700082");
            HttpResponse<String> badClient = refresh(microsoft.tokenUrl(), "ms-client", "wrong");
            assertThat(badClient.statusCode()).isEqualTo(401);
            assertThat(badClient.body()).contains("AADSTS7000215");
            assertThat(microsoft.profile().revokePath()).as("no RFC 7009 endpoint at Entra").isNull();
            assertThat(microsoft.profile().rotatesRefreshTokens()).isTrue();
        }
    }

    @Test
    void googleSaysTheTokenIsExpiredOrRevoked() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g-client", "g-secret")) {
            HttpResponse<String> dead = refresh(google.tokenUrl(), "g-client", "g-secret");
            assertThat(dead.statusCode()).isEqualTo(400);
            assertThat(dead.body()).contains("\"error\":\"invalid_grant\"").contains("Token has been expired or revoked.");
            HttpResponse<String> badClient = refresh(google.tokenUrl(), "g-client", "nope");
            assertThat(badClient.statusCode()).isEqualTo(401);
            assertThat(badClient.body()).contains("The OAuth client was not found.");
            HttpResponse<String> revokeUnknown = http.send(HttpRequest.newBuilder(URI.create(google.revokeUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=unknown"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revokeUnknown.statusCode()).isEqualTo(400);
            assertThat(google.profile().rotatesRefreshTokens()).as("Google keeps the refresh token").isFalse();
        }
    }

    private HttpResponse<String> refresh(String url, String client, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=unknown&client_id=" + client
                        + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
