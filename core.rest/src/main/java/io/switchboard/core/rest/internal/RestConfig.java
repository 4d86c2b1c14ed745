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

    @AttributeDefinition(description = "Path prefixes whose bodies are not read ahead: their own component streams them (the proxy, files "
            + "added to drafts); a * stands for one path segment")
    String[] streaming_paths() default {"/v1/proxy/", "/v1/mail/*/drafts/*/attachments"};

    @AttributeDefinition(description = "Largest request body on the streaming paths, in bytes (larger ones get 413: refused by their "
            + "declared length before the component runs, or when the streamed body outgrows it)")
    long streaming_max_body_bytes() default 26_214_400;

    @AttributeDefinition(description = "Smaller body limits for paths that take only small bodies, as /path/prefix=bytes "
            + "(the first matching prefix wins); unauthenticated endpoints need only a few KiB")
    String[] path_max_body_bytes() default {"/v1/sessions=65536", "/v1/connect/=65536"};

    @AttributeDefinition(description = "Bytes all request bodies kept in memory may hold together (503 with Retry-After beyond); "
            + "0: a quarter of the heap")
    long buffered_bodies_max_bytes() default 0;

    @AttributeDefinition(description = "Request bodies one client address may be sending at once (429 beyond). Behind a reverse "
            + "proxy every client shares its address: raise this accordingly")
    int max_unfinished_bodies_per_client() default 32;

    @AttributeDefinition(description = "Health checks that must be registered for /health to answer 200; a missing one counts as down")
    String[] health_required() default {"database", "api"};
}
