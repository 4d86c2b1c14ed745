package io.switchboard.connector.microsoft.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard Microsoft 365 connector")
@interface MicrosoftConfig {
    String PID = "switchboard.connector.microsoft";

    @AttributeDefinition(description = "The tenant of the authorization requests when an app sets none (its option 'tenant'): "
            + "common (work, school and personal accounts), organizations (work and school only), consumers, or a tenant id or domain.")
    String tenant() default "common";

    @AttributeDefinition(description = "Authorization endpoint; {tenant} is the app's option 'tenant', else the default above.")
    String authorization_url() default "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize";

    @AttributeDefinition(description = "Token endpoint; {tenant} as above.")
    String token_url() default "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";

    @AttributeDefinition(description = "Microsoft Graph's base URL: the identity call (/v1.0/me) and the proxy's origin.")
    String graph_url() default "https://graph.microsoft.com";

    @AttributeDefinition(description = "Outbound budget per account: requests per budget.window.seconds "
            + "(Graph's Outlook limit: 10,000 requests per 10 minutes per app and mailbox).")
    int budget_requests() default 10000;

    int budget_window_seconds() default 600;

    @AttributeDefinition(description = "Calls of the unified mail and calendar APIs at once per mailbox on one server (Graph takes 4 per "
            + "mailbox and refuses a fifth with 429 ApplicationThrottled); 0 = no limit.")
    int concurrent_calls() default 4;

    @AttributeDefinition(description = "Hosts (host or host:port, comma-separated) whose pre-authenticated addresses Graph's upload "
            + "sessions may name: files over 3 MB added to drafts go there, without the account's token.")
    String upload_hosts() default "outlook.office.com, outlook.office365.com, graph.microsoft.com";
}
