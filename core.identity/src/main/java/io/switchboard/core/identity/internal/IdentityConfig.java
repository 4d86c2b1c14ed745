package io.switchboard.core.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard identity", description = "Sessions, identity-token validation and the admin API")
@interface IdentityConfig {
    String PID = "switchboard.identity";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Operator token for /admin/v1 (Authorization: Bearer). Empty: the admin API answers 403 to everything.")
    String admin_token() default "";

    @AttributeDefinition(description = "Lifetime of a session access token, seconds")
    int access_token_seconds() default 900;

    @AttributeDefinition(description = "A session unused for this long ends (idle timeout), seconds")
    int session_idle_seconds() default 7 * 24 * 3600;

    @AttributeDefinition(description = "A session ends this long after sign-in whatever its use (absolute timeout), seconds")
    int session_absolute_seconds() default 30 * 24 * 3600;

    @AttributeDefinition(description = "A session signing key signs for this long before the next one takes over, seconds")
    int signing_key_rotation_seconds() default 24 * 3600;

    @AttributeDefinition(description = "How often an instance learns of sessions revoked elsewhere, seconds (the bound on logout across instances)")
    int revocation_poll_seconds() default 10;

    @AttributeDefinition(description = "Least time between two fetches of an issuer's JWKS for an unknown key id, seconds")
    int jwks_cooldown_seconds() default 60;

    @AttributeDefinition(description = "Allow http:// (not https) discovery and JWKS URLs: for local test identity providers only")
    boolean allow_insecure_issuers() default false;

    @AttributeDefinition(description = "Largest identity token accepted, bytes")
    int max_token_bytes() default 16384;
}
