package io.switchboard.core.webhooks.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard webhooks")
@interface WebhooksConfig {
    String PID = "switchboard.webhooks";

    @AttributeDefinition(description = "Time an endpoint has to answer a delivery, in seconds.")
    int timeout_seconds() default 10;

    @AttributeDefinition(description = "Attempts of a delivery before it fails: from retry.first.delay.ms after the first, "
            + "doubling to retry.max.delay.ms between attempts (16, 30 s, 12 h: about three days).")
    int attempts() default 16;

    @AttributeDefinition(description = "Delay before a delivery's first retry, in milliseconds.")
    long retry_first_delay_ms() default 30_000;

    @AttributeDefinition(description = "Longest delay between a delivery's attempts, in milliseconds.")
    long retry_max_delay_ms() default 43_200_000;

    @AttributeDefinition(description = "An endpoint whose deliveries have failed without a success for this many days is disabled.")
    int disable_after_days() default 5;

    @AttributeDefinition(description = "Events older than this many days whose deliveries are all settled (delivered or failed) "
            + "are deleted with their deliveries and attempts, hourly; 0 keeps everything.")
    int retention_days() default 30;

    @AttributeDefinition(description = "Endpoints per app.")
    int max_endpoints_per_app() default 20;

    @AttributeDefinition(description = "Whether http:// endpoint URLs are accepted (tests only; the address rule of "
            + "switchboard.outbound still applies at connection time).")
    boolean allow_http() default false;
}
