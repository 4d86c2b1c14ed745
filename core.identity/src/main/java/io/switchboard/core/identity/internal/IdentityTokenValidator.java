package io.switchboard.core.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the identity tokens an add-in presents, for one app's settings (docs/security.md S1–S6): a fixed
 * algorithm list per issuer (RS256 for Entra and Google), keys only from that issuer's JWKS,
 * exact {@code iss} and {@code aud}, Entra's per-tenant issuer, {@code exp}/{@code nbf}/{@code iat}
 * with 60 s leeway, a size cap, and 401 (never 5xx) for anything malformed.
 */
final class IdentityTokenValidator {
    static final Duration LEEWAY = Duration.ofSeconds(60);
    static final String CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    static final String EXCHANGE_APP = "00000002-0000-0ff1-ce00-000000000000";
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c");
    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    /** Who the token says the user is, once it is verified. */
    record VerifiedIdentity(String issuerKey, String subject, String email, String name,
                            String organizationKind, String organizationId) {}

    private final RemoteDocuments documents;
    private final int maxTokenBytes;
    private final Clock clock;

    IdentityTokenValidator(RemoteDocuments documents, int maxTokenBytes, Clock clock) {
        this.documents = documents;
        this.maxTokenBytes = maxTokenBytes;
        this.clock = clock;
    }

    VerifiedIdentity validate(AppSettings app, String token) {
        if (token == null || token.isBlank()) {
            throw new IdentityTokenException("no identity token");
        }
        if (token.length() > maxTokenBytes) {
            throw new IdentityTokenException("the identity token is larger than " + maxTokenBytes + " bytes");
        }
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token.trim());
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            throw new IdentityTokenException("the identity token is not a well-formed signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        for (String name : FORBIDDEN_HEADERS) {
            if (header.toJSONObject().containsKey(name)) {
                throw new IdentityTokenException("identity tokens with a '" + name + "' header are not accepted");
            }
        }
        String issuer = unverified.getIssuer();
        if (issuer == null) {
            throw new IdentityTokenException("the identity token has no issuer");
        }
        AppSettings.Identity identity = app.identity();
        if (identity.entra() != null && EntraIssuer.matches(identity.entra(), issuer)) {
            return entra(identity.entra(), jwt);
        }
        if (identity.google() != null && googleIssuers(identity.google()).contains(issuer)) {
            return google(identity.google(), jwt);
        }
        AppSettings.ExchangeLegacy exchange = identity.exchangeLegacy();
        if (exchange != null && exchange.enabled() && issuer.startsWith(EXCHANGE_APP + "@")) {
            return exchange(exchange, jwt, unverified);
        }
        for (AppSettings.Oidc oidc : identity.oidc()) {
            if (issuer.equals(oidc.issuer())) {
                return oidc(oidc, jwt);
            }
        }
        throw new IdentityTokenException("the identity token's issuer is not accepted for this app");
    }

    private VerifiedIdentity entra(AppSettings.Entra entra, SignedJWT jwt) {
        String jwksUri = documents.discovery(entra.authority() + "/common/v2.0/.well-known/openid-configuration").jwksUri();
        JWTClaimsSet claims = verify(jwt, List.of("RS256"), jwksUri);
        String tid = string(claims, "tid");
        if (tid == null || !GUID.matcher(tid).matches()) {
            throw new IdentityTokenException("the Entra token has no valid tenant id");
        }
        String version = string(claims, "ver");
        if (version == null || !entra.versions().contains(version)) {
            throw new IdentityTokenException("Entra token version " + version + " is not accepted for this app");
        }
        String template = version.equals("1.0") ? entra.v1IssuerTemplate() : entra.issuerTemplate();
        if (!template.replace("{tenantid}", tid).equals(claims.getIssuer())) {
            throw new IdentityTokenException("the Entra token's issuer does not match its tenant");
        }
        if (!tenantAllowed(entra.tenants(), tid)) {
            throw new IdentityTokenException("users of this tenant may not sign in to this app");
        }
        audience(claims, entra.audiences());
        if (entra.requiredScope() != null && !entra.requiredScope().isBlank()) {
            String scp = string(claims, "scp");
            if (scp == null || !List.of(scp.split(" ")).contains(entra.requiredScope())) {
                throw new IdentityTokenException("the Entra token lacks the scope " + entra.requiredScope());
            }
        }
        String oid = string(claims, "oid");
        if (oid == null || oid.isBlank()) {
            throw new IdentityTokenException("the Entra token has no object id");
        }
        String email = java.util.stream.Stream.of("preferred_username", "upn", "email").map(name -> string(claims, name))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return new VerifiedIdentity("entra:" + tid, oid, email, string(claims, "name"), "entra", tid);
    }

    private VerifiedIdentity google(AppSettings.Google google, SignedJWT jwt) {
        String jwksUri = documents.discovery(google.issuer() + "/.well-known/openid-configuration").jwksUri();
        JWTClaimsSet claims = verify(jwt, List.of("RS256"), jwksUri);
        audience(claims, google.clientIds());
        String hd = string(claims, "hd");
        if (!google.hostedDomains().isEmpty() && (hd == null || !google.hostedDomains().contains(hd))) {
            throw new IdentityTokenException("users of this Google domain may not sign in to this app");
        }
        String email = Boolean.TRUE.equals(claims.getClaim("email_verified")) ? string(claims, "email") : null;
        return new VerifiedIdentity("google:" + google.issuer(), subject(claims), email, string(claims, "name"),
                hd == null ? null : "google", hd);
    }

    private VerifiedIdentity exchange(AppSettings.ExchangeLegacy exchange, SignedJWT jwt, JWTClaimsSet unverified) {
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getX509CertThumbprint() == null) {
            throw new IdentityTokenException("the Exchange token must be RS256 with an x5t header");
        }
        Map<String, Object> appctx;
        try {
            Object raw = unverified.getClaim("appctx");
            appctx = raw instanceof String s ? com.nimbusds.jose.util.JSONObjectUtils.parse(s) : null;
        } catch (ParseException e) {
            appctx = null;
        }
        if (appctx == null || !"ExIdTok.V1".equals(appctx.get("version"))
                || !(appctx.get("amurl") instanceof String amurl) || !(appctx.get("msexchuid") instanceof String exchangeUser)) {
            throw new IdentityTokenException("the Exchange token has no valid appctx");
        }
        // The metadata URL comes from the token, so it must be on the app's allow-list before any fetch.
        if (!exchange.metadataUrls().contains(amurl)) {
            throw new IdentityTokenException("the Exchange token's metadata URL is not allowed for this app");
        }
        String x5t = jwt.getHeader().getX509CertThumbprint().toString();
        JWK key = documents.keysWith(amurl, x5t, RemoteDocuments.Format.EXCHANGE_METADATA)
                .map(set -> set.getKeyByKeyId(x5t)).orElse(null);
        if (!(key instanceof RSAKey rsa)) {
            throw new IdentityTokenException("the Exchange token was signed with an unknown certificate");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(rsa.toRSAPublicKey()))) {
                throw new IdentityTokenException("the Exchange token's signature is not valid");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            times(claims);
            audience(claims, exchange.audiences());
            return new VerifiedIdentity("exchange:" + amurl, exchangeUser, null, null, "exchange", amurl);
        } catch (JOSEException | ParseException e) {
            throw new IdentityTokenException("the Exchange token's signature could not be verified");
        }
    }

    private VerifiedIdentity oidc(AppSettings.Oidc oidc, SignedJWT jwt) {
        RemoteDocuments.Discovery discovery = documents.discovery(oidc.discoveryUrl());
        if (!oidc.issuer().equals(discovery.issuer())) {
            throw new IdentityTokenException("the issuer's discovery document names another issuer");
        }
        JWTClaimsSet claims = verify(jwt, oidc.algorithms(), discovery.jwksUri());
        audience(claims, oidc.audiences());
        return new VerifiedIdentity("oidc:" + oidc.issuer(), subject(claims), string(claims, "email"),
                string(claims, "name"), null, null);
    }

    /** Signature (algorithm from the allow-list, key by kid from the issuer's JWKS) and time claims. */
    private JWTClaimsSet verify(SignedJWT jwt, List<String> algorithms, String jwksUri) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (alg == null || !algorithms.contains(alg.getName())) {
            throw new IdentityTokenException("the identity token's algorithm is not accepted");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) {
            throw new IdentityTokenException("the identity token names no key");
        }
        JWK key = documents.keysWith(jwksUri, kid).map(set -> set.getKeyByKeyId(kid)).orElse(null);
        if (key == null) {
            throw new IdentityTokenException("the identity token was signed with an unknown key");
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IdentityTokenException("the identity token's key is not a signing key");
        }
        try {
            // The factory refuses a key whose type does not fit the algorithm.
            JWSVerifier verifier = VERIFIERS.createJWSVerifier(jwt.getHeader(), key instanceof RSAKey rsa ? rsa.toRSAPublicKey()
                    : key instanceof ECKey ec ? ec.toECPublicKey() : null);
            if (!jwt.verify(verifier)) {
                throw new IdentityTokenException("the identity token's signature is not valid");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            times(claims);
            return claims;
        } catch (JOSEException | ParseException e) {
            throw new IdentityTokenException("the identity token's signature could not be verified");
        }
    }

    private void times(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new IdentityTokenException("the identity token has no expiry");
        }
        if (now.isAfter(exp.toInstant().plus(LEEWAY))) {
            throw new IdentityTokenException("the identity token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(LEEWAY))) {
            throw new IdentityTokenException("the identity token is not valid yet");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.isBefore(iat.toInstant().minus(LEEWAY))) {
            throw new IdentityTokenException("the identity token was issued in the future");
        }
    }

    private static void audience(JWTClaimsSet claims, List<String> accepted) {
        List<String> aud = claims.getAudience();
        if (aud == null || aud.isEmpty() || aud.stream().noneMatch(accepted::contains)) {
            throw new IdentityTokenException("the identity token is not meant for this app");
        }
    }

    private static boolean tenantAllowed(List<String> tenants, String tid) {
        if (tenants.contains(tid) || tenants.contains("common")) {
            return true;
        }
        return tenants.contains("organizations") && !CONSUMER_TENANT.equals(tid);
    }

    private static List<String> googleIssuers(AppSettings.Google google) {
        String issuer = google.issuer();
        String bare = issuer.replaceFirst("^https?://", "");
        return List.of(issuer, bare);
    }

    private static String subject(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new IdentityTokenException("the identity token has no subject");
        }
        return sub;
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    /** Recognises Entra issuers (v2 per-tenant template, v1 sts.windows.net) for routing only. */
    static final class EntraIssuer {
        private EntraIssuer() {}

        static boolean matches(AppSettings.Entra entra, String issuer) {
            return fits(entra.issuerTemplate(), issuer) || fits(entra.v1IssuerTemplate(), issuer);
        }

        private static boolean fits(String template, String issuer) {
            int at = template.indexOf("{tenantid}");
            String prefix = template.substring(0, at);
            String suffix = template.substring(at + "{tenantid}".length());
            return issuer.length() > prefix.length() + suffix.length()
                    && issuer.startsWith(prefix) && issuer.endsWith(suffix)
                    && GUID.matcher(issuer.substring(prefix.length(), issuer.length() - suffix.length()).toLowerCase(Locale.ROOT)).matches();
        }
    }
}
