package io.switchboard.core.identity.internal;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import io.switchboard.core.api.connector.Upstream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and caches the documents identity providers publish: OpenID discovery documents and
 * JWK sets. A JWK set is kept for its {@code Cache-Control: max-age} (clamped to 5 min – 24 h);
 * a key id it does not contain causes at most one refetch per cool-down, however many tokens
 * carry unknown ids (docs/security.md S2). Keys come only from the configured URLs, never from token headers.
 */
final class RemoteDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDocuments.class);
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final Duration MIN_TTL = Duration.ofMinutes(5);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private final Upstream http;
    private final Map<String, CachedKeys> keys = new ConcurrentHashMap<>();
    private final Map<String, Discovery> discoveries = new ConcurrentHashMap<>();
    private final Duration cooldown;
    private final boolean allowInsecure;
    private final Clock clock;

    /** @param http the outbound calls to operator-configured URLs ({@code ProviderCalls.operatorConfigured()}) */
    RemoteDocuments(Upstream http, Duration cooldown, boolean allowInsecure, Clock clock) {
        this.http = http;
        this.cooldown = cooldown;
        this.allowInsecure = allowInsecure;
        this.clock = clock;
    }

    /** What a discovery document says that we use. */
    record Discovery(String issuer, String jwksUri) {}

    Discovery discovery(String url) {
        Discovery cached = discoveries.get(url);
        if (cached != null) {
            return cached;
        }
        Fetched doc = fetch(url);
        try {
            Map<String, Object> json = com.nimbusds.jose.util.JSONObjectUtils.parse(doc.body());
            String issuer = (String) json.get("issuer");
            String jwksUri = (String) json.get("jwks_uri");
            if (issuer == null || jwksUri == null) {
                throw new IdentityTokenException("the identity provider's discovery document lacks issuer or jwks_uri");
            }
            checkScheme(jwksUri);
            Discovery d = new Discovery(issuer, jwksUri);
            discoveries.put(url, d);
            return d;
        } catch (ParseException | ClassCastException e) {
            throw new IdentityTokenException("the identity provider's discovery document is not valid JSON");
        }
    }

    /** How a key document is written. */
    enum Format {
        /** A JSON Web Key Set. */
        JWKS,
        /** Exchange's authentication metadata: {@code keys[].keyinfo.x5t} and a base64 X.509 certificate. */
        EXCHANGE_METADATA
    }

    /** The key set at {@code url} if it holds {@code kid} (refetching at most once per cool-down). */
    Optional<JWKSet> keysWith(String url, String kid) {
        return keysWith(url, kid, Format.JWKS);
    }

    /** As {@link #keysWith(String, String)}, for a document in the given format (Exchange keys get their x5t as kid). */
    Optional<JWKSet> keysWith(String url, String kid, Format format) {
        CachedKeys entry = keys.computeIfAbsent(url, u -> new CachedKeys());
        synchronized (entry) {
            Instant now = clock.instant();
            boolean stale = entry.set == null || now.isAfter(entry.expires);
            boolean unknown = entry.set != null && kid != null && entry.set.getKeyByKeyId(kid) == null;
            boolean mayFetch = entry.lastFetch == null || !now.isBefore(entry.lastFetch.plus(cooldown));
            if ((stale || unknown) && mayFetch) {
                entry.lastFetch = now;
                try {
                    Fetched doc = fetch(url);
                    entry.set = format == Format.JWKS ? JWKSet.parse(doc.body()) : exchangeKeys(doc.body());
                    entry.expires = now.plus(doc.ttl());
                } catch (ParseException e) {
                    LOG.warn("JWKS at {} is not a valid JWK set", url);
                } catch (IdentityTokenException e) {
                    LOG.warn("JWKS at {} could not be fetched: {}", url, e.getMessage());
                }
            }
            return Optional.ofNullable(entry.set);
        }
    }

    private static JWKSet exchangeKeys(String body) throws ParseException {
        Map<String, Object> json = com.nimbusds.jose.util.JSONObjectUtils.parse(body);
        java.util.List<com.nimbusds.jose.jwk.JWK> keys = new java.util.ArrayList<>();
        for (Object k : com.nimbusds.jose.util.JSONObjectUtils.getJSONArray(json, "keys")) {
            if (!(k instanceof Map<?, ?> key) || !(key.get("keyinfo") instanceof Map<?, ?> info)
                    || !(key.get("keyvalue") instanceof Map<?, ?> value) || !(value.get("value") instanceof String cert)
                    || !(info.get("x5t") instanceof String x5t)) {
                continue;
            }
            java.security.cert.X509Certificate certificate = com.nimbusds.jose.util.X509CertUtils.parse(java.util.Base64.getDecoder().decode(cert));
            if (certificate == null) {
                continue;
            }
            // The thumbprint the document claims must be the certificate's own.
            String actual = com.nimbusds.jose.util.X509CertUtils.computeSHA1Thumbprint(certificate).toString();
            if (!actual.equals(x5t)) {
                continue;
            }
            try {
                keys.add(new com.nimbusds.jose.jwk.RSAKey.Builder(com.nimbusds.jose.jwk.RSAKey.parse(certificate))
                        .keyID(x5t).keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE).build());
            } catch (com.nimbusds.jose.JOSEException e) {
                // not an RSA certificate
            }
        }
        return new JWKSet(keys);
    }

    private record Fetched(String body, Duration ttl) {}

    private Fetched fetch(String url) {
        checkScheme(url);
        try {
            Upstream.Response response = http.send(new Upstream.Request("GET", url, Map.of("Accept", "application/json"), null));
            if (response.status() != 200) {
                throw new IdentityTokenException("the identity provider answered " + response.status());
            }
            if (response.body().getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
                throw new IdentityTokenException("the identity provider's document is too large");
            }
            Duration ttl = MAX_TTL;
            String cacheControl = String.join(",", response.headers().getOrDefault("Cache-Control", java.util.List.of()));
            Matcher m = MAX_AGE.matcher(cacheControl);
            if (m.find()) {
                long seconds = Long.parseLong(m.group(1));
                ttl = Duration.ofSeconds(Math.max(MIN_TTL.toSeconds(), Math.min(MAX_TTL.toSeconds(), seconds)));
            } else if (cacheControl.contains("no-store") || cacheControl.contains("no-cache")) {
                ttl = MIN_TTL;
            }
            return new Fetched(response.body(), ttl);
        } catch (IOException e) {
            throw new IdentityTokenException("the identity provider could not be reached");
        } catch (IllegalArgumentException e) {
            throw new IdentityTokenException("invalid identity provider URL");
        }
    }

    private void checkScheme(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("https://") || (allowInsecure && lower.startsWith("http://")))) {
            throw new IdentityTokenException("identity provider URLs must use https");
        }
    }

    private static final class CachedKeys {
        JWKSet set;
        Instant expires;
        Instant lastFetch;
    }
}
