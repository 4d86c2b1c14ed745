package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2.0 authorization server (RFC 6749, PKCE RFC 7636, revocation RFC 7009) for tests, as strict as the provider it
 * stands for: an {@link OAuthProfile} says which grants, PKCE rule, client authentication, body encoding, rotation and
 * revocation answers that provider has, and subclasses give its error shapes ({@link #refusal}) and grants of its own
 * ({@link #otherGrant}). {@code GET authorize} accepts only a registered redirect URI ({@link #registerRedirectUri}, matched
 * exactly), consents at once for the configured user and redirects back with a code that is single-use, bound to the redirect
 * URI and PKCE challenge, and expires in a minute; the token endpoint redeems codes, refresh tokens (rotating ones revoke
 * their whole family when a used one comes back) and passwords. Tests can make it misbehave: {@link #failNextToken(String)},
 * {@link #failNext}, {@link #latency}, short-lived access tokens.
 */
public class FakeOAuthProvider extends FakeServer {
    private final String clientId;
    private final String clientSecret;
    private final OAuthProfile profile;
    private final java.util.Set<String> redirectUris = ConcurrentHashMap.newKeySet();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> subjects = new ConcurrentHashMap<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final List<String> pendingTokenErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final List<String> seenPasswords = new CopyOnWriteArrayList<>();
    private final AtomicInteger grantErrors = new AtomicInteger();
    private final AtomicInteger outages = new AtomicInteger();
    private volatile String subject = "user-1";
    private volatile Duration accessLifetime = Duration.ofMinutes(30);
    private volatile boolean rotateRefreshTokens;

    private record Code(String redirectUri, String challenge, String scope, String subject, Instant expires, boolean offline) {}
    private record Refresh(String family, String subject, String scope, boolean used) {}

    /** A plain RFC 6749 server ({@link OAuthProfile#standard}) at the root. */
    public FakeOAuthProvider(String clientId, String clientSecret) {
        this(clientId, clientSecret, OAuthProfile.standard(""));
    }

    /** A provider with the given profile (each CRM fake passes its provider's). */
    public FakeOAuthProvider(String clientId, String clientSecret, OAuthProfile profile) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.profile = profile;
        this.rotateRefreshTokens = profile.rotatesRefreshTokens();
        if (profile.authorizePath() != null) {
            route("GET", profile.authorizePath(), this::authorize);
        }
        route("POST", profile.tokenPath(), this::token);
        if (profile.revokePath() != null) {
            route("POST", profile.revokePath(), this::revoke);
        }
        if (profile.userinfoPath() != null) {
            route("GET", profile.userinfoPath(), this::userinfo);
        }
    }

    /** What this provider accepts. */
    public OAuthProfile profile() {
        return profile;
    }

    /** Registers a redirect URI for the client, as a developer does in the provider's console; only these are accepted. */
    public void registerRedirectUri(String uri) {
        redirectUris.add(uri);
    }

    public String authorizeUrl() {
        return baseUri() + profile.authorizePath();
    }

    public String tokenUrl() {
        return baseUri() + profile.tokenPath();
    }

    public String revokeUrl() {
        return baseUri() + profile.revokePath();
    }

    /** Ends the grant a refresh token belongs to (as a revocation endpoint does). */
    protected boolean revokeRefreshToken(String token) {
        revoked.add(token);
        Refresh refresh = refreshTokens.get(token);
        if (refresh == null) {
            return false;
        }
        refreshTokens.entrySet().removeIf(e -> e.getValue().family().equals(refresh.family()));
        return true;
    }

    /** The client secret (fakes of providers that sign their responses with it need it). */
    protected String clientSecret() {
        return clientSecret;
    }

    /**
     * The members of a successful token response; subclasses reshape it the way their provider
     * does (Salesforce: no {@code expires_in}, {@code instance_url}, {@code id}, a signature) or act
     * on the request that earned it (Sugar: a new login ends the earlier session of its platform).
     *
     * @param request the token request's parameters ({@code grant_type}, ...)
     */
    protected Map<String, Object> tokenResponse(Map<String, Object> standard, String subject, Map<String, String> request) {
        return standard;
    }

    /** Whether an authorization request earns a refresh token (Microsoft: {@code offline_access}; Google: {@code access_type=offline}). */
    protected boolean offline(Map<String, String> authorization, String subject) {
        return true;
    }

    /** An OAuth error code when this provider refuses a token request's parameters (e.g. a missing platform), else {@code null}. */
    protected String refuse(Map<String, String> params) {
        return null;
    }

    /** Ends an access token at once (a logout). */
    protected void invalidateAccessToken(String token) {
        accessTokens.computeIfPresent(token, (k, v) -> Instant.EPOCH);
    }

    /** The subject a valid access token was issued to, or {@code null} (for a fake of the provider's API). */
    public String subjectOf(String accessToken) {
        return accessTokenValid(accessToken) ? subjects.get(accessToken) : null;
    }

    /** The user who consents at the next {@code /authorize}. */
    public void signedInUser(String subject) {
        this.subject = subject;
    }

    public void accessTokenLifetime(Duration lifetime) {
        this.accessLifetime = lifetime;
    }

    /** Whether a refresh returns a new refresh token and retires the old one (default: the profile's). */
    public void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    /** A user who may sign in with the password grant ({@code username} is then the subject). */
    public void user(String username, String password) {
        passwords.put(username, password);
    }

    /** Every access and refresh token this provider issued, for canary checks. */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    /** Every password presented to the password grant, right or wrong, for canary checks. */
    public List<String> presentedPasswords() {
        return List.copyOf(seenPasswords);
    }

    /** Token requests answered with an OAuth error (any grant), including those the test asked for. */
    public int grantErrors() {
        return grantErrors.get();
    }

    /** The next {@code count} token requests find the token endpoint down, answered as this provider answers then ({@link #outage}). */
    public void tokenEndpointDown(int count) {
        outages.set(count);
    }

    /** The token endpoint while down: RFC 6749's {@code temporarily_unavailable}, 503, {@code Retry-After} (or the provider's own). */
    protected FakeResponse outage() {
        return FakeResponse.json(503, error("temporarily_unavailable", "the service is down for maintenance")).withHeader("Retry-After", "30");
    }

    /** The next token request answers this OAuth error (e.g. {@code invalid_grant}). */
    public void failNextToken(String error) {
        pendingTokenErrors.add(error);
    }

    /** Token-endpoint calls so far (any grant). */
    public int tokenCalls() {
        return tokenCalls.get();
    }

    /** Refresh-token grants so far. */
    public int refreshCalls() {
        return refreshCalls.get();
    }

    /** Tokens revoked through {@code /revoke}. */
    public List<String> revokedTokens() {
        return List.copyOf(revoked);
    }

    /** Every access token issued so far stops working at once (as when the provider ends a session). */
    public void expireAccessTokens() {
        accessTokens.replaceAll((token, until) -> Instant.EPOCH);
    }

    /** Whether an access token is currently valid at this provider. */
    public boolean accessTokenValid(String token) {
        Instant until = accessTokens.get(token);
        return until != null && Instant.now().isBefore(until);
    }

    private FakeResponse authorize(FakeRequest req) {
        Map<String, String> q = OAuthMessages.form(req.query());
        String redirect = q.get("redirect_uri");
        if (redirect == null || !clientId.equals(q.get("client_id")) || !redirectUris.contains(redirect)) {
            // never redirected to: the provider shows the user an error page instead
            return FakeResponse.json(400, error("invalid_request", "unknown client, or a redirect_uri not registered for it"));
        }
        String state = q.getOrDefault("state", "");
        if (!"code".equals(q.get("response_type"))) {
            return OAuthMessages.redirect(redirect, Map.of("error", "unsupported_response_type", "state", state));
        }
        String challenge = q.get("code_challenge");
        boolean pkceRefused = switch (profile.pkce()) {
            case REQUIRED -> challenge == null || !"S256".equals(q.get("code_challenge_method"));
            case OPTIONAL -> challenge != null && !"S256".equals(q.get("code_challenge_method"));
            case UNSUPPORTED -> challenge != null;
        };
        if (pkceRefused) {
            return OAuthMessages.redirect(redirect, Map.of("error", "invalid_request", "error_description",
                    profile.pkce() == OAuthProfile.Pkce.UNSUPPORTED ? "code_challenge is not supported" : "an S256 code_challenge is required",
                    "state", state));
        }
        String code = OAuthMessages.random();
        codes.put(code, new Code(redirect, challenge, q.getOrDefault("scope", ""), subject, Instant.now().plusSeconds(60), offline(q, subject)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (q.get("state") != null) {
            params.put("state", state);
        }
        return OAuthMessages.redirect(redirect, params);
    }

    private FakeResponse token(FakeRequest req) {
        tokenCalls.incrementAndGet();
        Map<String, String> f = profile.parameters(req);
        FakeResponse answer = f.isEmpty() ? refusal("", "invalid_request", "the body must be " + profile.encoding() + "-encoded")
                : answerToken(req, f);
        if (answer.status() != 200) {
            grantErrors.incrementAndGet();
        }
        return answer;
    }

    private FakeResponse answerToken(FakeRequest req, Map<String, String> f) {
        if (outages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return outage();
        }
        if (!pendingTokenErrors.isEmpty()) {
            return refusal(f.getOrDefault("grant_type", ""), pendingTokenErrors.remove(0), "as the test asked");
        }
        if (!profile.authenticates(req, f, clientId, clientSecret)) {
            return refusal(f.getOrDefault("grant_type", ""), "invalid_client", "client authentication failed");
        }
        if (!profile.grantTypes().contains(f.getOrDefault("grant_type", ""))) {
            return refusal(f.getOrDefault("grant_type", ""), "unsupported_grant_type", "grant_type is not supported");
        }
        String refused = refuse(f);
        if (refused != null) {
            return refusal(f.getOrDefault("grant_type", ""), refused, "the request lacks what this provider needs");
        }
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code": {
                Code code = codes.remove(f.getOrDefault("code", ""));
                if (code == null || Instant.now().isAfter(code.expires()) || !clientId.equals(f.getOrDefault("client_id", clientId))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "the code is invalid, expired or already used");
                }
                if (!code.redirectUri().equals(f.get("redirect_uri"))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "redirect_uri does not match");
                }
                if (code.challenge() != null && !code.challenge().equals(OAuthMessages.s256(f.getOrDefault("code_verifier", "")))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "PKCE verification failed");
                }
                return issue(OAuthMessages.random(), code.subject(), code.scope(), code.offline(), f);
            }
            case "refresh_token": {
                refreshCalls.incrementAndGet();
                String presented = f.getOrDefault("refresh_token", "");
                Refresh refresh = refreshTokens.get(presented);
                if (refresh == null) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "unknown or revoked refresh token");
                }
                if (refresh.used()) {
                    // Reuse of a rotated token: the whole family is revoked, as real providers do.
                    refreshTokens.entrySet().removeIf(e -> e.getValue().family().equals(refresh.family()));
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "refresh token reuse; the grant is revoked");
                }
                if (rotateRefreshTokens) {
                    refreshTokens.put(presented, new Refresh(refresh.family(), refresh.subject(), refresh.scope(), true));
                }
                return issue(refresh.family(), refresh.subject(), refresh.scope(), rotateRefreshTokens, f);
            }
            case "password": {
                String username = f.getOrDefault("username", "");
                String password = f.getOrDefault("password", "");
                seenPasswords.add(password);
                if (password.isEmpty() || !password.equals(passwords.get(username))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "invalid username or password");
                }
                return issue(OAuthMessages.random(), username, f.getOrDefault("scope", ""), true, f);
            }
            default:
                return otherGrant(f);
        }
    }

    /** A grant of the profile beyond the standard ones (Microsoft's on-behalf-of): refused unless a subclass takes it. */
    protected FakeResponse otherGrant(Map<String, String> request) {
        return refusal(request.getOrDefault("grant_type", ""), "unsupported_grant_type", "grant_type is not supported");
    }

    protected FakeResponse issue(String family, String subject, String scope, boolean newRefreshToken, Map<String, String> request) {
        String access = accessTokenFor(subject);
        issued.add(access);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", accessLifetime.toSeconds());
        body.put("scope", scope);
        if (newRefreshToken) {
            String refresh = "rt_" + OAuthMessages.random();
            refreshTokens.put(refresh, new Refresh(family, subject, scope, false));
            issued.add(refresh);
            body.put("refresh_token", refresh);
        }
        return FakeResponse.json(200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(tokenResponse(body, subject, request)))
                .withHeader("Cache-Control", "no-store");
    }

    private FakeResponse revoke(FakeRequest req) {
        Map<String, String> f = OAuthMessages.form(req.bodyText());
        String token = f.getOrDefault("token", "");
        boolean known = accessTokens.containsKey(token) || refreshTokens.containsKey(token);
        if (profile.revocationRefusesUnknownTokens() && !known) {
            return FakeResponse.json(400, error("invalid_token", "the token is invalid or already revoked"));
        } else if (!profile.revocationRefusesUnknownTokens() && !profile.authenticates(req, f, clientId, clientSecret)) {
            return refusal("", "invalid_client", "client authentication failed");
        }
        accessTokens.remove(token);
        revokeRefreshToken(token);
        return FakeResponse.empty(200); // RFC 7009: unknown tokens too
    }

    private FakeResponse userinfo(FakeRequest req) {
        String auth = req.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        if (!accessTokenValid(token)) {
            return FakeResponse.json(401, error("invalid_token", "the access token is invalid or expired"))
                    .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        String who = subjects.getOrDefault(token, subject);
        return FakeResponse.json(200, "{\"sub\":\"" + who + "\",\"email\":\"" + who + "@provider.example\"}");
    }

    /**
     * How this provider answers a refused grant: RFC 6749's {@code {"error","error_description"}}
     * with 400 (401 for {@code invalid_client}). A provider with statuses or a shape of its own
     * overrides it (Salesforce: 400 for everything; Sugar: 401 {@code error_message}; HubSpot: its own body).
     *
     * @param grantType the request's {@code grant_type}
     * @param error the RFC 6749 error the refusal stands for
     */
    protected FakeResponse refusal(String grantType, String error, String description) {
        return FakeResponse.json("invalid_client".equals(error) ? 401 : 400, error(error, description));
    }

    /** An access token of {@code subject}, as if they had linked (for tests of the provider's API alone). */
    public String accessTokenFor(String subject) {
        String access = "at_" + OAuthMessages.random();
        accessTokens.put(access, Instant.now().plus(accessLifetime));
        subjects.put(access, subject);
        return access;
    }

    /** Makes every refresh token dead, as when the user removes the app's access at the provider. */
    public void revokeAllGrants() {
        refreshTokens.clear();
    }

    /** RFC 6749's error body. */
    protected static String error(String code, String description) {
        return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
    }
}
