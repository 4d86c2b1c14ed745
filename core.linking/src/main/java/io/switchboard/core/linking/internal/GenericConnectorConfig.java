package io.switchboard.core.linking.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A connector declared entirely in configuration (factory PID {@value #PID}, one file
 * {@code etc/switchboard.connector.generic~<name>.cfg} per provider): for standard OAuth 2.0
 * providers that need no code of their own.
 */
@ObjectClassDefinition(name = "Switchboard generic OAuth 2.0 connector")
@interface GenericConnectorConfig {
    String PID = "switchboard.connector.generic";

    @AttributeDefinition(name = "connector.id", description = "The connector id accounts and apps refer to (a-z, 0-9, '.', '_', '-').")
    String connector_id();

    String display_name() default "";

    @AttributeDefinition(description = "OAUTH2_CODE_PKCE, OAUTH2_CODE or PASSWORD_GRANT.")
    String auth_kind() default "OAUTH2_CODE_PKCE";

    String authorization_url() default "";

    @AttributeDefinition(description = "Token endpoint; may use {instance} (password grant) and {option} templates.")
    String token_url();

    String revocation_url() default "";

    @AttributeDefinition(description = "OpenID Connect userinfo endpoint: sub is the account id, email or name its display name.")
    String userinfo_url();

    @AttributeDefinition(description = "The API base URL the proxy calls; may use {instance}.")
    String api_base_url();

    String[] scopes() default {};

    @AttributeDefinition(description = "FORM_CLIENT_IN_BODY, FORM_CLIENT_BASIC or JSON_CLIENT_IN_BODY.")
    String token_request() default "FORM_CLIENT_IN_BODY";

    @AttributeDefinition(description = "Assumed access-token lifetime without expires_in, in seconds; 0 = unknown (refresh on 401).")
    int default_lifetime_seconds() default 3600;

    @AttributeDefinition(description = "Extra token-request parameters, name=value each.")
    String[] extra_token_parameters() default {};

    @AttributeDefinition(description = "Header that carries the access token: Authorization (as Bearer) or another header name (the bare token).")
    String token_header() default "Authorization";

    @AttributeDefinition(description = "Outbound budget per account: at most this many proxied calls per budget.window.seconds (0 = no budget).")
    int budget_requests() default 0;

    int budget_window_seconds() default 10;

    @AttributeDefinition(description = "Root-relative path prefixes the proxy may reach on the API origin, each ending in / "
            + "(e.g. /v2/, /files/). Empty: the path of api.base.url and everything below it.")
    String[] proxy_paths() default {};
}
