package io.switchboard.connector.salesforce.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard Salesforce connector")
@interface SalesforceConfig {
    String PID = "switchboard.connector.salesforce";

    @AttributeDefinition(description = "REST API version of the accounts' base URL.")
    String api_version() default "v60.0";

    @AttributeDefinition(description = "Login host when the app sets no login.host option (test.salesforce.com for sandboxes, <domain>.my.salesforce.com for My Domain).")
    String login_host() default "login.salesforce.com";

    @AttributeDefinition(description = "FOR TESTS ONLY: a full login URL (scheme, host, port) that replaces https://<login.host>.")
    String login_url() default "";

    @AttributeDefinition(description = "Host suffixes an instance_url and id URL may have (HTTPS only).")
    String[] instance_host_suffixes() default {".salesforce.com", ".force.com", ".cloudforce.com", ".salesforce.mil"};

    @AttributeDefinition(description = "FOR TESTS ONLY: exact hosts accepted for instance_url and id URLs over any scheme (the local fake).")
    String[] trusted_test_hosts() default {};

    @AttributeDefinition(description = "Default scopes (refresh_token is needed for a refresh token).")
    String[] scopes() default {"api", "refresh_token"};
}
