package io.switchboard.core.linking.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard account linking")
@interface LinkingConfig {
    String PID = "switchboard.linking";

    @AttributeDefinition(description = "The public base URL of this server (https://switchboard.example.com), used for the OAuth redirect URI. Empty: taken from each request.")
    String public_url() default "";

    @AttributeDefinition(description = "Lifetime of a linking ticket in seconds.")
    int ticket_seconds() default 60;

    @AttributeDefinition(description = "Lifetime of a linking flow (state, PKCE verifier) in seconds.")
    int flow_seconds() default 600;
}
