package io.switchboard.core.proxy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard proxy")
@interface ProxyConfig {
    String PID = "switchboard.proxy";

    @AttributeDefinition(description = "Request bodies up to this size are kept to be replayed once after a 401 and a token refresh; larger ones stream through once.")
    int replay_body_bytes() default 1_048_576;

    @AttributeDefinition(description = "Time from the end of the request (its whole body sent) until the provider's response headers arrive, in milliseconds (504 upstream-timeout after).")
    long response_timeout_ms() default 60_000;

    @AttributeDefinition(description = "Write an audit line (logger switchboard.proxy.audit) per call.")
    boolean audit() default true;
}
