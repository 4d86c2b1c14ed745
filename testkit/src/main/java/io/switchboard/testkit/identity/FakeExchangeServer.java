package io.switchboard.testkit.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * An on-premises Exchange server as a legacy Outlook add-in sees it: the authentication metadata
 * document at {@code /autodiscover/metadata/json/1} ({@code keys[].keyinfo.x5t},
 * {@code keys[].keyvalue.value} = the base64 X.509 certificate) and identity tokens from
 * {@code getUserIdentityTokenAsync}: RS256 with an {@code x5t} header, {@code aud} = the add-in's
 * URL, {@code iss} = {@code 00000002-0000-0ff1-ce00-000000000000@<host>}, and {@code appctx}, a
 * JSON string with {@code msexchuid}, {@code version} {@code ExIdTok.V1} and {@code amurl}.
 */
public class FakeExchangeServer extends FakeServer {
    public static final String EXCHANGE_APP = "00000002-0000-0ff1-ce00-000000000000";
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String thumbprint;

    public FakeExchangeServer() {
        try (InputStream in = FakeExchangeServer.class.getResourceAsStream("exchange-test.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "testkit".toCharArray());
            key = (PrivateKey) store.getKey("exchange", "testkit".toCharArray());
            certificate = (X509Certificate) store.getCertificate("exchange");
            thumbprint = Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test Exchange key", e);
        }
        route("GET", "/autodiscover/metadata/json/1", req -> FakeResponse.json(200, metadata()));
    }

    /** The metadata URL ({@code amurl}) that tokens of this server name. */
    public String metadataUrl() {
        return baseUri() + "/autodiscover/metadata/json/1";
    }

    /** Claims of a valid identity token for a mailbox user of this server. */
    public JWTClaimsSet.Builder identityToken(String msexchuid, String addinUrl) {
        String appctx = "{\"msexchuid\":\"" + msexchuid + "\",\"version\":\"ExIdTok.V1\",\"amurl\":\"" + metadataUrl() + "\"}";
        return FakeIdentityProvider.timed(Duration.ofHours(8))
                .issuer(EXCHANGE_APP + "@" + baseUri().getHost())
                .audience(addinUrl)
                .claim("isbrowserhostedapp", "true")
                .claim("appctxsender", EXCHANGE_APP + "@" + baseUri().getHost())
                .claim("appctx", appctx);
    }

    /** Signs with the server's certificate key, {@code x5t} header as Exchange does. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .x509CertThumbprint(new Base64URL(thumbprint)).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String metadata() throws java.io.IOException {
        try {
            String cert = Base64.getEncoder().encodeToString(certificate.getEncoded());
            return "{\"id\":\"_" + EXCHANGE_APP + "\",\"version\":\"1.0\",\"name\":\"Exchange\",\"realm\":\"\","
                    + "\"serviceName\":\"" + EXCHANGE_APP + "\",\"issuer\":\"" + EXCHANGE_APP + "@" + baseUri().getHost() + "\","
                    + "\"allowedAudiences\":[\"" + EXCHANGE_APP + "@" + baseUri().getHost() + "\"],"
                    + "\"keys\":[{\"usage\":\"signing\",\"keyinfo\":{\"x5t\":\"" + thumbprint + "\"},"
                    + "\"keyvalue\":{\"type\":\"x509Certificate\",\"value\":\"" + cert + "\"}}],\"endpoints\":[]}";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new java.io.IOException(e);
        }
    }
}
