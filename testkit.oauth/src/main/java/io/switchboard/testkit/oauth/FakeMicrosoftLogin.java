package io.switchboard.testkit.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.testkit.http.FakeResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
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
 * outage is 503 {@code temporarily_unavailable} with {@code Retry-After}. A refresh token comes
 * only when {@code offline_access} was consented to, an RS256 {@code id_token} (with {@code tid},
 * {@code oid}, {@code preferred_username}) only with {@code openid}.
 *
 * <p>The on-behalf-of grant ({@code urn:ietf:params:oauth:grant-type:jwt-bearer} with
 * {@code requested_token_use=on_behalf_of}): a middle tier trades the access token an add-in sent
 * it (Office SSO, signed by the {@link #trustAssertionsFrom trusted Entra fake}, its audience this
 * client or its API, not expired; an id token is refused) for tokens of the same user, refresh
 * token included with {@code offline_access}, only when the user (or an admin) has consented
 * ({@link #consented}): else {@code invalid_grant} AADSTS65001 {@code consent_required}, the cue
 * for an interactive consent. A bad assertion is {@code invalid_grant} AADSTS50013.
 */
public class FakeMicrosoftLogin extends FakeOAuthProvider {
    /** The tenant every user of this fake belongs to. */
    public static final String TENANT = "72f988bf-0000-4000-8000-00000000cafe";
    /** Entra's codes for the refusals the tests ask for ({@link #failNextToken}). */
    private static final Map<String, String> CODES = Map.of(
            "invalid_grant", "700082:AADSTS700082: The refresh token has expired due to inactivity.",
            "interaction_required", "50076:AADSTS50076: Due to a configuration change made by your administrator, or because you moved "
                    + "to a new location, you must use multi-factor authentication to access the resource.",
            "consent_required", "65001:AADSTS65001: The user or administrator has not consented to use the application.",
            "invalid_assertion", "50013:AADSTS50013: Assertion failed signature validation.",
            "invalid_client", "7000215:AADSTS7000215: Invalid client secret provided.",
            "invalid_request", "900144:AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            "unsupported_grant_type", "70003:AADSTS70003: The app requested an unsupported grant type.");

    public static OAuthProfile profile(String tenant) {
        String base = "/" + tenant + "/oauth2/v2.0";
        return OAuthProfile.standard(base).withPaths(base + "/authorize", base + "/token", null, null)
                .withGrantTypes("authorization_code", "refresh_token", JWT_BEARER);
    }

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private final String clientId;
    private final RSAKey signingKey;
    private volatile RSAKey assertionKey;
    private volatile java.util.Set<String> assertionAudiences = java.util.Set.of();
    private final Map<String, String> consented = new java.util.concurrent.ConcurrentHashMap<>();

    public FakeMicrosoftLogin(String clientId, String clientSecret) {
        super(clientId, clientSecret, profile("common"));
        this.clientId = clientId;
        accessTokenLifetime(java.time.Duration.ofMinutes(75));
        try {
            signingKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory (tenant) id of every user of this fake. */
    public String tenantId() {
        return TENANT;
    }

    /** A user's object id ({@code oid}, Graph's {@code /me} {@code id}): stable per subject. */
    public static String objectId(String subject) {
        return UUID.nameUUIDFromBytes(("oid:" + subject).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** On-behalf-of assertions are Entra access tokens signed with this key (an Entra fake's) for one of these audiences. */
    public void trustAssertionsFrom(RSAKey key, String... audiences) {
        this.assertionKey = key.toPublicJWK();
        this.assertionAudiences = java.util.Set.of(audiences);
    }

    /** The user (or an admin for the tenant) has consented to this client's scopes: on-behalf-of requests for them are granted. */
    public void consented(String subject) {
        consented.put(objectId(subject), subject);
    }

    @Override
    protected FakeResponse otherGrant(Map<String, String> f) {
        if (!JWT_BEARER.equals(f.get("grant_type")) || !"on_behalf_of".equals(f.get("requested_token_use"))) {
            return refusal(f.getOrDefault("grant_type", ""), "invalid_request", "requested_token_use must be on_behalf_of");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT assertion = SignedJWT.parse(f.getOrDefault("assertion", ""));
            if (assertionKey == null || !assertion.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(assertionKey))) {
                return refusal(JWT_BEARER, "invalid_assertion", "Assertion failed signature validation.");
            }
            claims = assertion.getJWTClaimsSet();
        } catch (java.text.ParseException | JOSEException e) {
            return refusal(JWT_BEARER, "invalid_assertion", "The assertion is not a JWT.");
        }
        boolean expired = claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isBefore(Instant.now());
        if (expired || claims.getAudience().stream().noneMatch(assertionAudiences::contains) || claims.getClaim("scp") == null) {
            return refusal(JWT_BEARER, "invalid_assertion", "The assertion is expired, for another audience, or not an access token.");
        }
        String subject = consented.get(String.valueOf(claims.getClaim("oid")));
        if (subject == null || !TENANT.equals(claims.getClaim("tid"))) {
            return refusal(JWT_BEARER, "consent_required", "not consented");
        }
        String scope = f.getOrDefault("scope", "");
        return issue(OAuthMessages.random(), subject, scope, List.of(scope.split(" ")).contains("offline_access"), f);
    }

    @Override
    protected boolean offline(Map<String, String> authorization, String subject) {
        return List.of(authorization.getOrDefault("scope", "").split(" ")).contains("offline_access");
    }

    @Override
    protected Map<String, Object> tokenResponse(Map<String, Object> standard, String subject, Map<String, String> request) {
        if (!List.of(String.valueOf(standard.get("scope")).split(" ")).contains("openid")) {
            return standard;
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://login.microsoftonline.com/" + TENANT + "/v2.0").audience(clientId)
                .subject(UUID.nameUUIDFromBytes(("sub:" + subject).getBytes(StandardCharsets.UTF_8)).toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("tid", TENANT).claim("oid", objectId(subject)).claim("preferred_username", subject + "@contoso.example")
                .claim("name", subject).claim("ver", "2.0").build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new RSASSASigner(signingKey));
            Map<String, Object> out = new LinkedHashMap<>(standard);
            out.put("id_token", jwt.serialize());
            return out;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        // consent_required is not an error code of its own at Entra: invalid_grant with that suberror
        String code = CODES.getOrDefault(error, "90000:AADSTS90000: " + description);
        String wire = error.equals("consent_required") || error.equals("invalid_assertion") ? "invalid_grant" : error;
        int colon = code.indexOf(':');
        String body = "{\"error\":\"" + wire + "\",\"error_description\":\"" + code.substring(colon + 1) + "\\r\\nTrace ID: "
                + UUID.randomUUID() + "\",\"error_codes\":[" + code.substring(0, colon) + "],\"timestamp\":\"" + Instant.now()
                + "\",\"trace_id\":\"" + UUID.randomUUID() + "\",\"correlation_id\":\"" + UUID.randomUUID() + "\""
                + (error.equals("consent_required") ? ",\"suberror\":\"consent_required\"" : "")
                + (error.equals("interaction_required") ? ",\"suberror\":\"basic_action\"" : "") + "}";
        return FakeResponse.json(error.equals("invalid_client") ? 401 : 400, body);
    }
}
