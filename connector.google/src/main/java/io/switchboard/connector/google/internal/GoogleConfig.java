package io.switchboard.connector.google.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard Google connector")
@interface GoogleConfig {
    String PID = "switchboard.connector.google";

    String authorization_url() default "https://accounts.google.com/o/oauth2/v2/auth";

    String token_url() default "https://oauth2.googleapis.com/token";

    @AttributeDefinition(description = "RFC 7009 revocation endpoint: unlinking revokes the refresh token there, which ends the whole grant.")
    String revocation_url() default "https://oauth2.googleapis.com/revoke";

    @AttributeDefinition(description = "OpenID Connect userinfo: the account's sub and email.")
    String userinfo_url() default "https://openidconnect.googleapis.com/v1/userinfo";

    @AttributeDefinition(description = "The APIs' base URL: Gmail (/gmail/v1/, /upload/gmail/v1/) and Calendar (/calendar/v3/) through the proxy.")
    String api_url() default "https://www.googleapis.com";

    @AttributeDefinition(description = "Outbound budget per account: requests per budget.window.seconds (Gmail: 250 quota units per user "
            + "per second, a message read costs 5).")
    int budget_requests() default 50;

    int budget_window_seconds() default 1;
}
