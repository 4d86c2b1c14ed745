package io.switchboard.core.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.core.identity.internal.IdentityEntities.SigningKeyEntity;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.persistence.EntityManagerFactory;

/**
 * Signs and verifies Switchboard access tokens (ES256). Each instance keeps its private key in
 * memory only, rotates it on a schedule, and publishes the public half in {@code signing_key}
 * until every token it signed has expired; verification uses a local cache of public keys and
 * reads the table only for a key id it has not seen (signed by another instance).
 */
final class SessionKeys {
    static final String ISSUER = "switchboard";

    /** Where public keys are published and read back; the database in production, a list in unit tests. */
    interface PublicKeyTable {
        void publish(SigningKeyEntity row, Instant now);

        List<SigningKeyEntity> valid(Instant now);
    }

    private final PublicKeyTable table;
    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenLifetime;
    private final Map<String, ECKey> publicKeys = new ConcurrentHashMap<>();
    private volatile Instant lastReload = Instant.EPOCH;
    private volatile ECKey current;
    private volatile Instant currentSince;

    SessionKeys(Store store, EntityManagerFactory unit, Clock clock, Duration rotation, Duration tokenLifetime) {
        this(new PublicKeyTable() {
            @Override
            public void publish(SigningKeyEntity row, Instant now) {
                store.run(unit, em -> {
                    em.persist(row);
                    em.createQuery("DELETE FROM SigningKeyEntity k WHERE k.expiresAt < :now")
                            .setParameter("now", Timestamp.from(now)).executeUpdate();
                });
            }

            @Override
            public List<SigningKeyEntity> valid(Instant now) {
                return store.transaction(unit, em -> em.createQuery(
                        "SELECT k FROM SigningKeyEntity k WHERE k.expiresAt > :now", SigningKeyEntity.class)
                        .setParameter("now", Timestamp.from(now)).getResultList());
            }
        }, clock, rotation, tokenLifetime);
    }

    SessionKeys(PublicKeyTable table, Clock clock, Duration rotation, Duration tokenLifetime) {
        this.table = table;
        this.clock = clock;
        this.rotation = rotation;
        this.tokenLifetime = tokenLifetime;
    }

    String sign(JWTClaimsSet claims) {
        ECKey key = signingKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt")).build(), claims);
            ECDSASigner signer = new ECDSASigner(key);
            // The JDK's default ECDSA nonce source is one synchronised SecureRandom for all threads.
            signer.getJCAContext().setSecureRandom(io.switchboard.core.api.util.Ids.secureRandom());
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }

    /**
     * Tokens already verified, until they expire: an add-in sends the same access token for its
     * whole lifetime, and an ECDSA verification costs far more than the rest of a session check.
     * The key is the whole token, so only its exact bytes hit the cache.
     */
    private final Map<String, JWTClaimsSet> verified = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 100_000;

    /** The verified claims of a Switchboard access token, or {@code null} when it is not one. */
    JWTClaimsSet verify(String token) {
        JWTClaimsSet cached = verified.get(token);
        if (cached != null) {
            if (clock.instant().isBefore(cached.getExpirationTime().toInstant())) {
                return cached;
            }
            verified.remove(token);
            return null;
        }
        JWTClaimsSet claims = verifySignature(token);
        if (claims != null) {
            if (verified.size() >= MAX_CACHED) {
                Instant now = clock.instant();
                verified.values().removeIf(c -> !now.isBefore(c.getExpirationTime().toInstant()));
                if (verified.size() >= MAX_CACHED) {
                    verified.clear();
                }
            }
            verified.put(token, claims);
        }
        return claims;
    }

    private JWTClaimsSet verifySignature(String token) {
        try {
            if (token.length() > 4096) {
                return null;
            }
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getKeyID() == null) {
                return null;
            }
            ECKey key = publicKey(jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new ECDSAVerifier(key))) {
                return null;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer()) || claims.getExpirationTime() == null
                    || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                return null;
            }
            return claims;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    private ECKey signingKey() {
        ECKey key = current;
        Instant now = clock.instant();
        if (key == null || now.isAfter(currentSince.plus(rotation))) {
            synchronized (this) {
                if (current == null || now.isAfter(currentSince.plus(rotation))) {
                    current = generateAndPublish(now);
                    currentSince = now;
                }
                key = current;
            }
        }
        return key;
    }

    private ECKey generateAndPublish(Instant now) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(io.switchboard.core.api.util.Ids.uuid())
                    .secureRandom(io.switchboard.core.api.util.Ids.secureRandom()).generate();
            ECKey pub = key.toPublicJWK();
            SigningKeyEntity row = new SigningKeyEntity();
            row.kid = pub.getKeyID();
            row.publicJwk = pub.toJSONString();
            row.createdAt = Timestamp.from(now);
            // Verifiable until the last token it can sign has expired, plus a margin for clock skew.
            row.expiresAt = Timestamp.from(now.plus(rotation).plus(tokenLifetime).plus(Duration.ofMinutes(5)));
            table.publish(row, now);
            publicKeys.put(pub.getKeyID(), pub);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private ECKey publicKey(String kid) {
        ECKey key = publicKeys.get(kid);
        if (key != null) {
            return key;
        }
        Instant now = clock.instant();
        // Another instance's key: read the table, at most once a second whatever the traffic.
        if (now.isAfter(lastReload.plusSeconds(1))) {
            lastReload = now;
            List<SigningKeyEntity> rows = table.valid(now);
            for (SigningKeyEntity row : rows) {
                try {
                    publicKeys.putIfAbsent(row.kid, ECKey.parse(row.publicJwk));
                } catch (ParseException ignored) {
                    // not a key we can use
                }
            }
        }
        return publicKeys.get(kid);
    }
}
