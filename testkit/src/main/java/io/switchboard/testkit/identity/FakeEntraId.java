package io.switchboard.testkit.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;

/**
 * Microsoft Entra ID as an Outlook add-in's backend sees it: the multi-tenant discovery document
 * at {@code /common/v2.0/.well-known/openid-configuration} whose issuer is the template
 * {@code <authority>/{tenantid}/v2.0}, the JWKS at {@code /common/discovery/v2.0/keys}, and access
 * tokens for the backend's API (v2: issuer per tenant; v1: {@code https://sts.windows.net/{tid}/})
 * with {@code aud}, {@code scp}, {@code oid}, {@code tid}, {@code ver}, {@code name},
 * {@code preferred_username}. Point an app's {@code authority} at {@link #authority()}.
 */
public class FakeEntraId extends FakeIdentityProvider {

    public FakeEntraId() {
        String authority = authority();
        serveDiscovery("/common/v2.0/.well-known/openid-configuration", authority + "/{tenantid}/v2.0",
                authority + "/common/discovery/v2.0/keys");
        serveJwks("/common/discovery/v2.0/keys");
    }

    /** The authority base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String authority() {
        return baseUri().toString();
    }

    /** The v2 issuer of a tenant. */
    public String issuerV2(String tenantId) {
        return authority() + "/" + tenantId + "/v2.0";
    }

    public static String issuerV1(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    /** Claims of a valid v2 access token for the given API audience. */
    public JWTClaimsSet.Builder accessTokenV2(String tenantId, String objectId, String audience, String scope) {
        return FakeIdentityProvider.timed(Duration.ofHours(1))
                .issuer(issuerV2(tenantId))
                .audience(audience)
                .subject("sub-" + objectId)
                .claim("tid", tenantId)
                .claim("oid", objectId)
                .claim("scp", scope)
                .claim("ver", "2.0")
                .claim("azp", "office-client")
                .claim("name", "Test User")
                .claim("preferred_username", "user@" + tenantId.substring(0, 8) + ".example");
    }

    /** Claims of a valid v1 access token. */
    public JWTClaimsSet.Builder accessTokenV1(String tenantId, String objectId, String audience, String scope) {
        return FakeIdentityProvider.timed(Duration.ofHours(1))
                .issuer(issuerV1(tenantId))
                .audience(audience)
                .subject("sub-" + objectId)
                .claim("tid", tenantId)
                .claim("oid", objectId)
                .claim("scp", scope)
                .claim("ver", "1.0")
                .claim("appid", "office-client")
                .claim("name", "Test User")
                .claim("upn", "user@" + tenantId.substring(0, 8) + ".example");
    }
}
