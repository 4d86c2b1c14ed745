package io.switchboard.connector.hubspot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard HubSpot connector")
@interface HubSpotConfig {
    String PID = "switchboard.connector.hubspot";

    String authorization_url() default "https://app.hubspot.com/oauth/authorize";

    @AttributeDefinition(description = "Token endpoint. The v1 endpoint is deprecated from 16 Feb 2027 for https://api.hubapi.com/oauth/v3/token.")
    String token_url() default "https://api.hubapi.com/oauth/v1/token";

    @AttributeDefinition(description = "API base URL (also the host of the token-info and refresh-token revocation endpoints).")
    String api_url() default "https://api.hubapi.com";

    String[] scopes() default {"oauth", "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read",
            "crm.objects.companies.write", "crm.objects.deals.read", "crm.objects.deals.write"};

    @AttributeDefinition(description = "Outbound budget per account: requests per budget.window.seconds (HubSpot: 100 per 10 s for OAuth apps).")
    int budget_requests() default 100;

    int budget_window_seconds() default 10;
}
