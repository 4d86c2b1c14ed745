package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The Microsoft identity platform's OAuth endpoints (v2.0) for linking a Microsoft 365 mailbox:
 * {@code /{tenant}/oauth2/v2.0/authorize} and {@code /token} (tenant {@code common},
 * {@code organizations} or an id), code and refresh grants, PKCE optional for confidential web
 * apps, the client's secret in the form or as Basic, refresh tokens that rotate, no RFC 7009
 * revocation endpoint. Refusals are 400 (401 for a bad client) with {@code error},
 * {@code error_description} starting with an {@code AADSTS} code, {@code error_codes},
 * {@code timestamp}, {@code trace_id} and {@code correlation_id}, and a {@code suberror} where
 * Entra gives one: a dead refresh token is {@code invalid_grant} AADSTS700082 (expired by
 * inactivity), multi-factor or conditional access {@code interaction_required} AADSTS50076,
 * missing consent {@code invalid_grant} AADSTS65001 with suberror {@code consent_required}; an
 * outage is 503 {@code temporarily_unavailable} with {@code Retry-After}.
 */
public class FakeMicrosoftLogin extends FakeOAuthProvider {
    /** Entra's codes for the refusals the tests ask for ({@link #failNextToken}). */
    private static final Map<String, String> CODES = Map.of(
            "invalid_grant", "700082:AADSTS700082: The refresh token has expired due to inactivity.",
            "interaction_required", "50076:AADSTS50076: Due to a configuration change made by your administrator, or because you moved "
                    + "to a new location, you must use multi-factor authentication to access the resource.",
            "consent_required", "65001:AADSTS65001: The user or administrator has not consented to use the application.",
            "invalid_client", "7000215:AADSTS7000215: Invalid client secret provided.",
            "invalid_request", "900144:AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            "unsupported_grant_type", "70003:AADSTS70003: The app requested an unsupported grant type.");

    public static OAuthProfile profile(String tenant) {
        String base = "/" + tenant + "/oauth2/v2.0";
        return OAuthProfile.standard(base).withPaths(base + "/authorize", base + "/token", null, null)
                .withGrantTypes("authorization_code", "refresh_token");
    }

    public FakeMicrosoftLogin(String clientId, String clientSecret) {
        super(clientId, clientSecret, profile("common"));
        accessTokenLifetime(java.time.Duration.ofMinutes(75));
    }

    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        // consent_required is not an error code of its own at Entra: invalid_grant with that suberror
        String code = CODES.getOrDefault(error, "90000:AADSTS90000: " + description);
        String wire = error.equals("consent_required") ? "invalid_grant" : error;
        int colon = code.indexOf(':');
        String body = "{\"error\":\"" + wire + "\",\"error_description\":\"" + code.substring(colon + 1) + "\\r\\nTrace ID: "
                + UUID.randomUUID() + "\",\"error_codes\":[" + code.substring(0, colon) + "],\"timestamp\":\"" + Instant.now()
                + "\",\"trace_id\":\"" + UUID.randomUUID() + "\",\"correlation_id\":\"" + UUID.randomUUID() + "\""
                + (error.equals("consent_required") ? ",\"suberror\":\"consent_required\"" : "")
                + (error.equals("interaction_required") ? ",\"suberror\":\"basic_action\"" : "") + "}";
        return FakeResponse.json(error.equals("invalid_client") ? 401 : 400, body);
    }
}
