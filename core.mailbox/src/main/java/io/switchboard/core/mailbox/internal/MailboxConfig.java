package io.switchboard.core.mailbox.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard unified mailbox API")
@interface MailboxConfig {
    String PID = "switchboard.mailbox";

    @AttributeDefinition(description = "Timeout of one call to the mailbox provider, in milliseconds.")
    long timeout_ms() default 30_000;

    @AttributeDefinition(description = "Largest page of messages a caller may ask for.")
    int max_limit() default 100;
}
