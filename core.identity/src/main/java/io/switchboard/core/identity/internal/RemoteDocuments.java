package io.switchboard.core.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.X509CertUtils;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.util.PublishedDocuments;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents identity providers publish: OpenID discovery documents, JWK sets and Exchange's
 * authentication metadata, each kept as {@link PublishedDocuments} keeps them (its cache lifetime,
 * at most one refetch per cool-down for a key id a set does not hold: docs/security.md S2). Keys
 * come only from the configured URLs, never from token headers.
 */
final class RemoteDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDocuments.class);

    /** What a discovery document says that we use. */
    record Discovery(String issuer, String jwksUri) {}

    /** How a key document is written. */
    enum Format {
        /** A JSON Web Key Set. */
        JWKS,
        /** Exchange's authentication metadata: {@code keys[].keyinfo.x5t} and a base64 X.509 certificate. */
        EXCHANGE_METADATA
    }

    private final PublishedDocuments<Discovery> discoveries;
    private final PublishedDocuments<JWKSet> keySets;
    private final PublishedDocuments<JWKSet> exchangeKeys;

    /** @param http the outbound calls to operator-configured URLs ({@code ProviderCalls.operatorConfigured()}) */
    RemoteDocuments(Upstream http, Duration cooldown, boolean allowInsecure, Clock clock) {
        this.keySets = new PublishedDocuments<>(http, JWKSet::parse, cooldown, allowInsecure, clock,
                reason -> LOG.warn("Key set {}", reason));
        this.exchangeKeys = new PublishedDocuments<>(http, RemoteDocuments::exchangeKeys, cooldown, allowInsecure, clock,
                reason -> LOG.warn("Exchange metadata {}", reason));
        this.discoveries = new PublishedDocuments<>(http, this::parseDiscovery, cooldown, allowInsecure, clock,
                reason -> LOG.warn("Discovery document {}", reason));
    }

    Discovery discovery(String url) {
        if (!discoveries.fetchable(url)) {
            throw new IdentityTokenException("identity provider URLs must use https");
        }
        return discoveries.get(url, d -> true).orElseThrow(
                () -> new IdentityTokenException("the identity provider's discovery document could not be read"));
    }

    /** The key set at {@code url} if it holds {@code kid} (refetching at most once per cool-down). */
    Optional<JWKSet> keysWith(String url, String kid) {
        return keysWith(url, kid, Format.JWKS);
    }

    /** As {@link #keysWith(String, String)}, for a document in the given format (Exchange keys get their x5t as kid). */
    Optional<JWKSet> keysWith(String url, String kid, Format format) {
        return (format == Format.JWKS ? keySets : exchangeKeys).get(url, set -> kid == null || set.getKeyByKeyId(kid) != null);
    }

    private Discovery parseDiscovery(String body) throws ParseException {
        Map<String, Object> json = JSONObjectUtils.parse(body);
        if (!(json.get("issuer") instanceof String issuer) || !(json.get("jwks_uri") instanceof String jwksUri)) {
            throw new ParseException("it lacks issuer or jwks_uri", 0);
        }
        if (!keySets.fetchable(jwksUri)) {
            throw new ParseException("its jwks_uri does not use https", 0);
        }
        return new Discovery(issuer, jwksUri);
    }

    private static JWKSet exchangeKeys(String body) throws ParseException {
        List<JWK> keys = new ArrayList<>();
        for (Object k : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(body), "keys")) {
            if (!(k instanceof Map<?, ?> key) || !(key.get("keyinfo") instanceof Map<?, ?> info)
                    || !(key.get("keyvalue") instanceof Map<?, ?> value) || !(value.get("value") instanceof String cert)
                    || !(info.get("x5t") instanceof String x5t)) {
                continue;
            }
            X509Certificate certificate = X509CertUtils.parse(Base64.getDecoder().decode(cert));
            // The thumbprint the document claims must be the certificate's own.
            if (certificate == null || !X509CertUtils.computeSHA1Thumbprint(certificate).toString().equals(x5t)) {
                continue;
            }
            try {
                keys.add(new RSAKey.Builder(RSAKey.parse(certificate)).keyID(x5t).keyUse(KeyUse.SIGNATURE).build());
            } catch (JOSEException e) {
                // not an RSA certificate
            }
        }
        return new JWKSet(keys);
    }
}
