package io.switchboard.testkit.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;

/**
 * A generic OpenID Connect issuer (and Google, which is one): discovery at
 * {@code <issuer>/.well-known/openid-configuration}, JWKS at {@code <issuer>/oauth2/v3/certs}
 * (Google's path), ID tokens with {@code iss}, {@code aud}, {@code sub}, {@code email},
 * {@code email_verified} and, for Google Workspace users, {@code hd}.
 */
public class FakeOidcIssuer extends FakeIdentityProvider {

    public FakeOidcIssuer() {
        serveDiscovery("/.well-known/openid-configuration", issuer(), issuer() + "/oauth2/v3/certs");
        serveJwks("/oauth2/v3/certs");
    }

    /** The issuer, e.g. {@code http://127.0.0.1:41235}. */
    public String issuer() {
        return baseUri().toString();
    }

    /** Claims of a valid ID token. */
    public JWTClaimsSet.Builder idToken(String subject, String audience, String email) {
        return FakeIdentityProvider.timed(Duration.ofHours(1))
                .issuer(issuer())
                .audience(audience)
                .subject(subject)
                .claim("email", email)
                .claim("email_verified", Boolean.TRUE)
                .claim("name", "Test User")
                .claim("azp", audience);
    }
}
