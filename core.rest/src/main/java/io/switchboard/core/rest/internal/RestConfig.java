package io.switchboard.core.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard HTTP API", description = "Limits of the public HTTP API")
@interface RestConfig {
    String PID = "switchboard.rest";

    @AttributeDefinition(description = "Largest request body accepted, in bytes (larger ones get 413)")
    long max_body_bytes() default 1_048_576;

    @AttributeDefinition(description = "Time a client has to send a whole request body, in milliseconds (408 after); "
            + "bodies are read without holding a thread, so slow senders cannot stall the server")
    long body_timeout_ms() default 30_000;

    @AttributeDefinition(description = "Path prefixes whose bodies this limit does not cover because their own component limits and streams them (the proxy)")
    String[] streaming_paths() default {"/v1/proxy/"};

    @AttributeDefinition(description = "Health checks that must be registered for /health to answer 200; a missing one counts as down")
    String[] health_required() default {"database", "api"};
}
