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

    @AttributeDefinition(description = "Password-form submissions one linking flow accepts; the last failed one ends the flow.")
    int password_attempts_per_flow() default 5;

    @AttributeDefinition(description = "Password-form submissions one user may make over the last hour, across flows; more are refused before the instance is asked.")
    int password_attempts_per_user_hour() default 20;

    @AttributeDefinition(description = "Seconds a connector that came or went is given before connector.installed or "
            + "connector.removed is sent (a bundle update or a restart within it sends nothing).")
    int connector_events_grace_seconds() default 60;
}
