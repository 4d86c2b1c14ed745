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

    @AttributeDefinition(description = "Most bytes of attachments one message may send (decoded; Graph takes 4 MB per request, base64 included); "
            + "the API's body limit (switchboard.rest max.body.bytes) bounds them first.")
    int max_attachment_bytes() default 2_900_000;
}
