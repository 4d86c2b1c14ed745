package io.switchboard.testkit.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A base for identity-provider fakes: RSA signing keys published as a JWKS (with key rotation),
 * an OpenID discovery document, and token minting. Subclasses add the provider's own paths and
 * claims. The JWKS answer carries {@code Cache-Control: public, max-age=...} as the real
 * providers' do.
 */
public class FakeIdentityProvider extends FakeServer {
    private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile int jwksMaxAge = 3600;

    protected FakeIdentityProvider() {
        rotateKeys();
    }

    /** Publishes a new signing key (the newest signs); the older ones stay published. */
    public RSAKey rotateKeys() {
        RSAKey key = newRsaKey();
        keys.add(0, key);
        return key;
    }

    /** Stops publishing every key but the newest (as after a provider's key roll-over). */
    public void retireOldKeys() {
        while (keys.size() > 1) {
            keys.remove(keys.size() - 1);
        }
    }

    /** The key that signs new tokens. */
    public RSAKey signingKey() {
        return keys.get(0);
    }

    /** How many times the JWKS was fetched. */
    public int jwksFetches() {
        return jwksFetches.get();
    }

    public void jwksMaxAge(int seconds) {
        this.jwksMaxAge = seconds;
    }

    /** Serves the JWKS at {@code path}. */
    protected void serveJwks(String path) {
        route("GET", path, req -> {
            jwksFetches.incrementAndGet();
            List<com.nimbusds.jose.jwk.JWK> pub = new ArrayList<>();
            keys.forEach(k -> pub.add(k.toPublicJWK()));
            return FakeResponse.json(200, new JWKSet(pub).toString())
                    .withHeader("Cache-Control", "public, max-age=" + jwksMaxAge);
        });
    }

    /** Serves a discovery document at {@code path}. */
    protected void serveDiscovery(String path, String issuer, String jwksUri) {
        route("GET", path, req -> FakeResponse.json(200,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"response_types_supported\":[\"code\",\"id_token\"],"
                        + "\"subject_types_supported\":[\"pairwise\"]}"));
    }

    /** Signs claims with the current key (RS256, kid set). */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, signingKey(), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey().getKeyID()).build());
    }

    /** Signs with any key and header: for hostile tokens. */
    public static String sign(JWTClaimsSet claims, RSAKey key, JWSHeader header) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Common time claims: issued now, valid for {@code lifetime}. */
    public static JWTClaimsSet.Builder timed(Duration lifetime) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
    }

    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
