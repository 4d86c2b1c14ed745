package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generic OAuth 2.0 authorization server (RFC 6749, PKCE RFC 7636, revocation RFC 7009) for
 * tests: {@code GET /authorize} consents at once for the configured user and redirects back with
 * a code; {@code POST /token} redeems codes (checking client, redirect URI and the PKCE verifier)
 * and refresh tokens (optionally rotating them and, as real providers do, revoking the whole
 * family when a used refresh token comes back); {@code POST /revoke}; {@code GET /userinfo}.
 * Errors use the RFC 6749 shape {@code {"error","error_description"}} with status 400 (401 for
 * client authentication). Tests can make it misbehave: {@link #failNextToken(String)},
 * {@link #failNext}, {@link #latency}, short-lived access tokens.
 */
public class FakeOAuthProvider extends FakeServer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientId;
    private final String clientSecret;
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
    private volatile String subject = "user-1";
    private volatile Duration accessLifetime = Duration.ofMinutes(30);
    private volatile boolean rotateRefreshTokens = true;

    private record Code(String clientId, String redirectUri, String challenge, String scope, String subject, Instant expires) {}

    private record Refresh(String family, String subject, String scope, boolean used) {}

    private final String authorizePath;
    private final String tokenPath;
    private final String revokePath;

    public FakeOAuthProvider(String clientId, String clientSecret) {
        this(clientId, clientSecret, "");
    }

    /** A provider whose endpoints live under {@code prefix} (e.g. Salesforce's {@code /services/oauth2}). */
    protected FakeOAuthProvider(String clientId, String clientSecret, String prefix) {
        this(clientId, clientSecret, prefix + "/authorize", prefix + "/token", prefix + "/revoke", prefix + "/userinfo");
    }

    /** A provider with its endpoints at these paths (e.g. HubSpot's {@code /oauth/authorize} and {@code /oauth/v1/token}). */
    protected FakeOAuthProvider(String clientId, String clientSecret, String authorizePath, String tokenPath, String revokePath,
                                String userinfoPath) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.authorizePath = authorizePath;
        this.tokenPath = tokenPath;
        this.revokePath = revokePath;
        route("GET", authorizePath, this::authorize);
        route("POST", tokenPath, this::token);
        route("POST", revokePath, this::revoke);
        route("GET", userinfoPath, this::userinfo);
    }

    public String authorizeUrl() {
        return baseUri() + authorizePath;
    }

    public String tokenUrl() {
        return baseUri() + tokenPath;
    }

    public String revokeUrl() {
        return baseUri() + revokePath;
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

    /** An OAuth error code when this provider refuses a token request's parameters (e.g. a missing platform), else {@code null}. */
    protected String refuse(Map<String, String> params) {
        return null;
    }

    /** Ends an access token at once (a logout). */
    protected void invalidateAccessToken(String token) {
        accessTokens.computeIfPresent(token, (k, v) -> Instant.EPOCH);
    }

    /** The subject an access token was issued to, or {@code null}. */
    protected String subjectOf(String accessToken) {
        return accessTokenValid(accessToken) ? subjects.get(accessToken) : null;
    }

    /** The user who consents at the next {@code /authorize}. */
    public void signedInUser(String subject) {
        this.subject = subject;
    }

    public void accessTokenLifetime(Duration lifetime) {
        this.accessLifetime = lifetime;
    }

    /** Whether a refresh returns a new refresh token and retires the old one (default true). */
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
        if (redirect == null || !clientId.equals(q.get("client_id"))) {
            return FakeResponse.json(400, error("invalid_request", "unknown client or no redirect_uri"));
        }
        if (!"code".equals(q.get("response_type"))) {
            return redirect(redirect, Map.of("error", "unsupported_response_type", "state", q.getOrDefault("state", "")));
        }
        String challenge = q.get("code_challenge");
        if (challenge != null && !"S256".equals(q.get("code_challenge_method"))) {
            return redirect(redirect, Map.of("error", "invalid_request", "state", q.getOrDefault("state", "")));
        }
        String code = random();
        codes.put(code, new Code(clientId, redirect, challenge, q.getOrDefault("scope", ""), subject, Instant.now().plusSeconds(60)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (q.get("state") != null) {
            params.put("state", q.get("state"));
        }
        return redirect(redirect, params);
    }

    private FakeResponse token(FakeRequest req) {
        tokenCalls.incrementAndGet();
        Map<String, String> f = isJson(req) ? OAuthMessages.jsonForm(req.bodyText()) : OAuthMessages.form(req.bodyText());
        FakeResponse answer = answerToken(req, f);
        if (answer.status() != 200) {
            grantErrors.incrementAndGet();
        }
        return answer;
    }

    private FakeResponse answerToken(FakeRequest req, Map<String, String> f) {
        if (!pendingTokenErrors.isEmpty()) {
            return refusal(f.getOrDefault("grant_type", ""), pendingTokenErrors.remove(0), "as the test asked");
        }
        if (!clientAuthenticated(req, f)) {
            return refusal(f.getOrDefault("grant_type", ""), "invalid_client", "client authentication failed");
        }
        String refused = refuse(f);
        if (refused != null) {
            return refusal(f.getOrDefault("grant_type", ""), refused, "the request lacks what this provider needs");
        }
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code": {
                Code code = codes.remove(f.getOrDefault("code", ""));
                if (code == null || Instant.now().isAfter(code.expires())) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "the code is invalid, expired or already used");
                }
                if (!code.redirectUri().equals(f.get("redirect_uri"))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "redirect_uri does not match");
                }
                if (code.challenge() != null && !code.challenge().equals(OAuthMessages.s256(f.getOrDefault("code_verifier", "")))) {
                    return refusal(f.getOrDefault("grant_type", ""), "invalid_grant", "PKCE verification failed");
                }
                return issue(random(), code.subject(), code.scope(), true, f);
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
                return issue(random(), username, f.getOrDefault("scope", ""), true, f);
            }
            default:
                return FakeResponse.json(400, error("unsupported_grant_type", "grant_type is not supported"));
        }
    }

    private FakeResponse issue(String family, String subject, String scope, boolean newRefreshToken, Map<String, String> request) {
        String access = accessTokenFor(subject);
        issued.add(access);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", accessLifetime.toSeconds());
        body.put("scope", scope);
        if (newRefreshToken) {
            String refresh = "rt_" + random();
            refreshTokens.put(refresh, new Refresh(family, subject, scope, false));
            issued.add(refresh);
            body.put("refresh_token", refresh);
        }
        return FakeResponse.json(200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(tokenResponse(body, subject, request)))
                .withHeader("Cache-Control", "no-store");
    }

    private FakeResponse revoke(FakeRequest req) {
        Map<String, String> f = OAuthMessages.form(req.bodyText());
        if (!clientAuthenticated(req, f)) {
            return refusal(f.getOrDefault("grant_type", ""), "invalid_client", "client authentication failed");
        }
        String token = f.getOrDefault("token", "");
        revoked.add(token);
        accessTokens.remove(token);
        Refresh refresh = refreshTokens.get(token);
        if (refresh != null) {
            refreshTokens.entrySet().removeIf(e -> e.getValue().family().equals(refresh.family()));
        }
        return FakeResponse.empty(200);
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

    private boolean clientAuthenticated(FakeRequest req, Map<String, String> form) {
        String basic = req.header("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            return decoded.equals(enc(clientId) + ":" + enc(clientSecret));
        }
        return clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
    }

    private static boolean isJson(FakeRequest req) {
        String type = req.header("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    private static FakeResponse redirect(String target, Map<String, String> params) {
        StringBuilder url = new StringBuilder(target).append(target.contains("?") ? '&' : '?');
        params.forEach((k, v) -> url.append(enc(k)).append('=').append(enc(v)).append('&'));
        url.setLength(url.length() - 1);
        return FakeResponse.empty(302).withHeader("Location", URI.create(url.toString()).toString());
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
        String access = "at_" + random();
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
