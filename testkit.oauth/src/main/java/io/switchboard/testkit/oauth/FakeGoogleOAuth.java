package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth 2.0 endpoints for linking a Gmail mailbox: {@code /o/oauth2/v2/auth} (with
 * {@code access_type=offline} for a refresh token), {@code /token} and {@code /revoke}; code and
 * refresh grants, PKCE optional, the client's secret in the form or as Basic; the refresh token is
 * not rotated; revoking a token Google does not know is 400 {@code invalid_token}. Refusals are
 * RFC 6749's shape: a revoked or expired grant is 400 {@code invalid_grant} "Token has been expired
 * or revoked.", a bad client 401 {@code invalid_client} "The OAuth client was not found.".
 * A refresh token is issued only with {@code access_type=offline}, and only at a user's first
 * consent to the client unless {@code prompt=consent} asks for it again.
 */
public class FakeGoogleOAuth extends FakeOAuthProvider {
    public static final OAuthProfile PROFILE = OAuthProfile.standard("").withPaths("/o/oauth2/v2/auth", "/token", "/revoke", "/v1/userinfo")
            .withGrantTypes("authorization_code", "refresh_token").withRotation(false).withUnknownTokensRefusedAtRevocation();

    private final Set<String> consented = ConcurrentHashMap.newKeySet();

    public FakeGoogleOAuth(String clientId, String clientSecret) {
        super(clientId, clientSecret, PROFILE);
        accessTokenLifetime(java.time.Duration.ofHours(1));
    }

    @Override
    protected boolean offline(Map<String, String> authorization, String subject) {
        boolean consentAsked = authorization.getOrDefault("prompt", "").contains("consent");
        return "offline".equals(authorization.get("access_type")) && (consented.add(subject) || consentAsked);
    }

    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        String words = switch (error) {
            case "invalid_grant" -> "refresh_token".equals(grantType) ? "Token has been expired or revoked." : "Bad Request";
            case "invalid_client" -> "The OAuth client was not found.";
            default -> description;
        };
        return FakeResponse.json("invalid_client".equals(error) ? 401 : 400, error(error, words));
    }
}
