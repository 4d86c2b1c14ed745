package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What one provider's authorization server accepts and how it refuses the rest, for
 * {@link FakeOAuthProvider}: where its endpoints are, which grants it offers, whether PKCE is
 * required, optional or unknown to it, how a client authenticates and how token requests are
 * encoded, whether a refresh rotates the refresh token, and how revocation answers a token it
 * does not know. Each CRM fake builds its own from {@code ../shared/INTERFACES.md}; the
 * {@link #standard(String) standard} one follows RFC 6749, 7009 and 7636.
 *
 * @param authorizePath the authorization endpoint, or {@code null} when the provider has no code flow
 * @param tokenPath the token endpoint
 * @param revokePath an RFC 7009 revocation endpoint, or {@code null}
 * @param userinfoPath an OpenID Connect userinfo endpoint, or {@code null}
 * @param grantTypes the {@code grant_type}s the token endpoint knows; others are {@code unsupported_grant_type}
 * @param pkce what the authorization endpoint does with a {@code code_challenge}
 * @param clientAuthentication the ways a client may present its credentials at the token endpoint
 *     (a request using another, or two at once, is {@code invalid_client})
 * @param encoding the one body encoding the token endpoint reads (another leaves it nothing to read: {@code invalid_request})
 * @param rotatesRefreshTokens whether a refresh answers a new refresh token and retires the old one
 * @param revocationRefusesUnknownTokens whether revoking a token it does not know is 400 {@code invalid_token}
 *     (Salesforce) rather than RFC 7009's 200, and needs no client authentication
 */
public record OAuthProfile(String authorizePath, String tokenPath, String revokePath, String userinfoPath, Set<String> grantTypes,
                           Pkce pkce, Set<ClientAuthentication> clientAuthentication, BodyEncoding encoding,
                           boolean rotatesRefreshTokens, boolean revocationRefusesUnknownTokens) {

    /** What the authorization endpoint does with PKCE (RFC 7636). */
    public enum Pkce {
        /** A request without an S256 {@code code_challenge} is refused (Microsoft for public clients, Salesforce apps that require it). */
        REQUIRED,
        /** Checked when the request carried a challenge. */
        OPTIONAL,
        /** A {@code code_challenge} is refused as a parameter this provider does not take. */
        UNSUPPORTED
    }

    /** How a client presents its credentials at the token endpoint (RFC 6749 §2.3.1). */
    public enum ClientAuthentication {
        /** {@code client_id} and {@code client_secret} among the request's parameters ({@code client_secret_post}). */
        BODY,
        /** HTTP Basic with the form-encoded id and secret ({@code client_secret_basic}). */
        BASIC
    }

    /** How the token endpoint reads its parameters. */
    public enum BodyEncoding {
        FORM, JSON
    }

    public OAuthProfile {
        grantTypes = Set.copyOf(grantTypes);
        clientAuthentication = clientAuthentication.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(clientAuthentication));
    }

    /**
     * A plain RFC 6749 server with its endpoints under {@code prefix}: code (PKCE optional),
     * refresh (rotating) and password grants, the client's credentials in the body or as Basic,
     * form bodies, RFC 7009 revocation, userinfo.
     */
    public static OAuthProfile standard(String prefix) {
        return new OAuthProfile(prefix + "/authorize", prefix + "/token", prefix + "/revoke", prefix + "/userinfo",
                Set.of("authorization_code", "refresh_token", "password"), Pkce.OPTIONAL,
                Set.of(ClientAuthentication.BODY, ClientAuthentication.BASIC), BodyEncoding.FORM, true, false);
    }

    /** A token or revocation request's parameters; none when the body is in another encoding than this provider reads. */
    public Map<String, String> parameters(FakeRequest request) {
        boolean json = OAuthMessages.isJson(request);
        if (json != (encoding == BodyEncoding.JSON)) {
            return Map.of();
        }
        return json ? OAuthMessages.jsonForm(request.bodyText()) : OAuthMessages.form(request.bodyText());
    }

    /** Whether a request presents the client's credentials in one of the ways this provider takes, and only one (RFC 6749 §2.3). */
    public boolean authenticates(FakeRequest request, Map<String, String> parameters, String clientId, String clientSecret) {
        String basic = request.header("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            return !parameters.containsKey("client_secret") && clientAuthentication.contains(ClientAuthentication.BASIC)
                    && decoded.equals(OAuthMessages.enc(clientId) + ":" + OAuthMessages.enc(clientSecret));
        }
        return clientAuthentication.contains(ClientAuthentication.BODY)
                && clientId.equals(parameters.get("client_id")) && clientSecret.equals(parameters.get("client_secret"));
    }

    public OAuthProfile withPaths(String authorize, String token, String revoke, String userinfo) {
        return new OAuthProfile(authorize, token, revoke, userinfo, grantTypes, pkce, clientAuthentication, encoding,
                rotatesRefreshTokens, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withGrantTypes(String... types) {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, Set.of(types), pkce, clientAuthentication, encoding,
                rotatesRefreshTokens, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withPkce(Pkce value) {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, grantTypes, value, clientAuthentication, encoding,
                rotatesRefreshTokens, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withClientAuthentication(ClientAuthentication... ways) {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, grantTypes, pkce, Set.of(ways), encoding,
                rotatesRefreshTokens, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withEncoding(BodyEncoding value) {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, grantTypes, pkce, clientAuthentication, value,
                rotatesRefreshTokens, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withRotation(boolean rotates) {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, grantTypes, pkce, clientAuthentication, encoding,
                rotates, revocationRefusesUnknownTokens);
    }

    public OAuthProfile withUnknownTokensRefusedAtRevocation() {
        return new OAuthProfile(authorizePath, tokenPath, revokePath, userinfoPath, grantTypes, pkce, clientAuthentication, encoding,
                rotatesRefreshTokens, true);
    }
}
