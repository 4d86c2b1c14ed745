package io.switchboard.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FakeOAuthProviderTest {
    static final String REDIRECT = "https://switchboard.example/v1/connect/callback";
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void codeFlowWithPkceRefreshRotationFamilyRevocationAndRevoke() throws Exception {
        try (FakeOAuthProvider idp = new FakeOAuthProvider("client", "s3cret")) {
            idp.registerRedirectUri(REDIRECT);
            String verifier = "verifier-0123456789-0123456789-0123456789-01";
            Map<String, String> back = authorize(idp, OAuthMessages.s256(verifier), "st-1");
            assertThat(back.get("state")).isEqualTo("st-1");

            // Wrong verifier: refused, and the code is spent.
            assertThat(token(idp, "grant_type=authorization_code&code=" + back.get("code") + "&redirect_uri=" + enc(REDIRECT)
                    + "&code_verifier=wrong&client_id=client&client_secret=s3cret").body()).contains("invalid_grant");
            assertThat(token(idp, "grant_type=authorization_code&code=" + back.get("code") + "&redirect_uri=" + enc(REDIRECT)
                    + "&code_verifier=" + verifier + "&client_id=client&client_secret=s3cret").body()).contains("invalid_grant");

            Map<String, String> again = authorize(idp, OAuthMessages.s256(verifier), "st-2");
            HttpResponse<String> tokens = token(idp, "grant_type=authorization_code&code=" + again.get("code")
                    + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + verifier + "&client_id=client&client_secret=s3cret");
            assertThat(tokens.statusCode()).isEqualTo(200);
            String access = field(tokens.body(), "access_token");
            String refresh1 = field(tokens.body(), "refresh_token");
            assertThat(idp.accessTokenValid(access)).isTrue();

            HttpResponse<String> rotated = token(idp, "grant_type=refresh_token&refresh_token=" + refresh1
                    + "&client_id=client&client_secret=s3cret");
            String refresh2 = field(rotated.body(), "refresh_token");
            assertThat(refresh2).isNotEqualTo(refresh1);
            // The old refresh token again: invalid_grant, and the new one dies with its family.
            assertThat(token(idp, "grant_type=refresh_token&refresh_token=" + refresh1 + "&client_id=client&client_secret=s3cret")
                    .body()).contains("invalid_grant");
            assertThat(token(idp, "grant_type=refresh_token&refresh_token=" + refresh2 + "&client_id=client&client_secret=s3cret")
                    .body()).contains("invalid_grant");
            assertThat(idp.refreshCalls()).isEqualTo(3);

            assertThat(token(idp, "grant_type=refresh_token&refresh_token=x&client_id=client&client_secret=wrong").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> revoke = http.send(HttpRequest.newBuilder(URI.create(idp.revokeUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + access + "&client_id=client&client_secret=s3cret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(revoke.statusCode()).isEqualTo(200);
            assertThat(idp.revokedTokens()).containsExactly(access);
            assertThat(idp.accessTokenValid(access)).isFalse();
        }
    }

    @Test
    void misbehavesOnDemand() throws Exception {
        try (FakeOAuthProvider idp = new FakeOAuthProvider("client", "s3cret")) {
            idp.registerRedirectUri(REDIRECT);
            idp.accessTokenLifetime(Duration.ZERO);
            Map<String, String> back = authorize(idp, null, "s");
            HttpResponse<String> tokens = token(idp, "grant_type=authorization_code&code=" + back.get("code")
                    + "&redirect_uri=" + enc(REDIRECT) + "&client_id=client&client_secret=s3cret");
            String access = field(tokens.body(), "access_token");
            HttpResponse<String> userinfo = http.send(HttpRequest.newBuilder(idp.baseUri().resolve("/userinfo"))
                    .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(userinfo.statusCode()).isEqualTo(401);
            idp.failNextToken("invalid_grant");
            assertThat(token(idp, "grant_type=refresh_token&refresh_token=" + field(tokens.body(), "refresh_token")
                    + "&client_id=client&client_secret=s3cret").body()).contains("invalid_grant");
        }
    }

    @Test
    void onlyARegisteredRedirectUriExactlyAsRegisteredIsSentTheCode() throws Exception {
        try (FakeOAuthProvider idp = new FakeOAuthProvider("client", "s3cret")) {
            idp.registerRedirectUri(REDIRECT);
            for (String other : new String[] {REDIRECT + "/", REDIRECT + "?x=1", REDIRECT.toUpperCase(), "https://evil.example/cb"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(idp.authorizeUrl()
                        + "?response_type=code&client_id=client&state=s&redirect_uri=" + enc(other))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(other).isEqualTo(400);
                assertThat(r.headers().firstValue("Location")).as("never redirected to " + other).isEmpty();
            }
            Map<String, String> back = authorize(idp, null, "s");
            // The code is bound to the redirect URI it was issued for.
            assertThat(token(idp, "grant_type=authorization_code&code=" + back.get("code") + "&redirect_uri=" + enc(REDIRECT + "/")
                    + "&client_id=client&client_secret=s3cret").body()).contains("invalid_grant");
        }
    }

    @Test
    void pkceIsRequiredOrRefusedAsTheProfileSays() throws Exception {
        try (FakeOAuthProvider required = new FakeOAuthProvider("client", "s3cret",
                OAuthProfile.standard("").withPkce(OAuthProfile.Pkce.REQUIRED));
             FakeOAuthProvider unsupported = new FakeOAuthProvider("client", "s3cret",
                     OAuthProfile.standard("").withPkce(OAuthProfile.Pkce.UNSUPPORTED))) {
            required.registerRedirectUri(REDIRECT);
            unsupported.registerRedirectUri(REDIRECT);
            assertThat(authorize(required, null, "s")).containsEntry("error", "invalid_request").doesNotContainKey("code");
            assertThat(authorize(required, OAuthMessages.s256("v".repeat(43)), "s")).containsKey("code");
            assertThat(authorize(unsupported, OAuthMessages.s256("v".repeat(43)), "s")).containsEntry("error", "invalid_request");
            assertThat(authorize(unsupported, null, "s")).containsKey("code");
        }
    }

    @Test
    void clientAuthenticationEncodingAndGrantsAreTheProvidersOnly() throws Exception {
        OAuthProfile bodyOnly = OAuthProfile.standard("").withClientAuthentication(OAuthProfile.ClientAuthentication.BODY)
                .withGrantTypes("authorization_code", "refresh_token");
        try (FakeOAuthProvider idp = new FakeOAuthProvider("client", "s3cret", bodyOnly)) {
            idp.user("ann", "pw");
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("client:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> asBasic = http.send(HttpRequest.newBuilder(URI.create(idp.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asBasic.statusCode()).isEqualTo(401);
            assertThat(asBasic.body()).contains("invalid_client");
            HttpResponse<String> asJson = http.send(HttpRequest.newBuilder(URI.create(idp.tokenUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"x\","
                            + "\"client_id\":\"client\",\"client_secret\":\"s3cret\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(asJson.statusCode()).isEqualTo(400);
            assertThat(asJson.body()).contains("invalid_request");
            HttpResponse<String> password = token(idp, "grant_type=password&username=ann&password=pw&client_id=client&client_secret=s3cret");
            assertThat(password.statusCode()).isEqualTo(400);
            assertThat(password.body()).contains("unsupported_grant_type");
        }
        try (FakeOAuthProvider idp = new FakeOAuthProvider("client", "s3cret")) {
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("client:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> both = http.send(HttpRequest.newBuilder(URI.create(idp.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=x&client_id=client&client_secret=s3cret"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(both.body()).as("two ways at once (RFC 6749 2.3)").contains("invalid_client");
        }
    }

    @Test
    void revocationAnswersUnknownTokensAsTheProviderDoes() throws Exception {
        try (FakeOAuthProvider rfc = new FakeOAuthProvider("client", "s3cret");
             FakeOAuthProvider strict = new FakeOAuthProvider("client", "s3cret", OAuthProfile.standard("").withUnknownTokensRefusedAtRevocation())) {
            assertThat(revoke(rfc, "token=unknown&client_id=client&client_secret=s3cret").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = revoke(strict, "token=unknown");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("invalid_token");
            assertThat(revoke(strict, "token=" + strict.accessTokenFor("ann")).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> revoke(FakeOAuthProvider idp, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(idp.revokeUrl())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> authorize(FakeOAuthProvider idp, String challenge, String state) throws Exception {
        String url = idp.authorizeUrl() + "?response_type=code&client_id=client&redirect_uri=" + enc(REDIRECT) + "&state=" + state
                + (challenge == null ? "" : "&code_challenge=" + challenge + "&code_challenge_method=S256");
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        return OAuthMessages.form(URI.create(location).getRawQuery());
    }

    private HttpResponse<String> token(FakeOAuthProvider idp, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(idp.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
