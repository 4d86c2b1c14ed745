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

    /**
     * Entra's on-behalf-of grant, as a naive middle tier gets it wrong: the assertion must be an
     * access token (an id token is refused) for this client's API, signed by Entra; a user
     * without consent is invalid_grant AADSTS65001 consent_required; then tokens of that user.
     */
    @Test
    void microsoftTradesAnAccessTokenForItsApiOnBehalfOfAConsentedUser() throws Exception {
        try (FakeMicrosoftLogin microsoft = new FakeMicrosoftLogin("ms-client", "ms-secret");
             io.switchboard.testkit.identity.FakeEntraId entra = new io.switchboard.testkit.identity.FakeEntraId()) {
            microsoft.trustAssertionsFrom(entra.signingKey(), "api://crm");
            String oid = FakeMicrosoftLogin.objectId("ann");
            String sso = entra.sign(entra.accessTokenV2(FakeMicrosoftLogin.TENANT, oid, "api://crm", "access_as_user").build());
            assertThat(obo(microsoft, sso).body()).as("no consent").contains("\"error\":\"invalid_grant\"").contains("AADSTS65001")
                    .contains("\"suberror\":\"consent_required\"");
            microsoft.consented("ann");
            String other = entra.sign(entra.accessTokenV2(FakeMicrosoftLogin.TENANT, oid, "api://another", "access_as_user").build());
            assertThat(obo(microsoft, other).body()).as("another API's token").contains("AADSTS50013");
            String idToken = entra.sign(entra.accessTokenV2(FakeMicrosoftLogin.TENANT, oid, "api://crm", null).build());
            assertThat(obo(microsoft, idToken).body()).as("not an access token").contains("AADSTS50013");
            String forged = new io.switchboard.testkit.identity.FakeEntraId().sign(entra.accessTokenV2(FakeMicrosoftLogin.TENANT, oid,
                    "api://crm", "access_as_user").build());
            assertThat(obo(microsoft, forged).body()).as("signed by someone else").contains("AADSTS50013");
            HttpResponse<String> traded = obo(microsoft, sso);
            assertThat(traded.statusCode()).as(traded.body()).isEqualTo(200);
            assertThat(traded.body()).contains("access_token").contains("refresh_token");
            String access = (String) com.nimbusds.jose.util.JSONObjectUtils.parse(traded.body()).get("access_token");
            assertThat(microsoft.subjectOf(access)).isEqualTo("ann");
        }
    }

    private HttpResponse<String> obo(FakeMicrosoftLogin microsoft, String assertion) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(microsoft.tokenUrl())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + URLEncoder.encode(FakeMicrosoftLogin.JWT_BEARER, StandardCharsets.UTF_8)
                        + "&client_id=ms-client&client_secret=ms-secret&requested_token_use=on_behalf_of&scope=offline_access%20Mail.Read"
                        + "&assertion=" + assertion)).build(), HttpResponse.BodyHandlers.ofString());
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
