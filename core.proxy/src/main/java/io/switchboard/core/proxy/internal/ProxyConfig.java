package io.switchboard.core.proxy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard proxy")
@interface ProxyConfig {
    String PID = "switchboard.proxy";

    @AttributeDefinition(description = "Largest request body forwarded, in bytes (larger: 413).")
    long max_body_bytes() default 26_214_400;

    @AttributeDefinition(description = "Request bodies up to this size are kept to be replayed once after a 401 and a token refresh; larger ones stream through once.")
    int replay_body_bytes() default 1_048_576;

    @AttributeDefinition(description = "Connect timeout to the provider in milliseconds.")
    long connect_timeout_ms() default 5_000;

    @AttributeDefinition(description = "Time until the provider's response headers arrive, in milliseconds (504 upstream-timeout after).")
    long response_timeout_ms() default 60_000;

    @AttributeDefinition(description = "Idle timeout of a response body stream, in milliseconds.")
    long idle_timeout_ms() default 60_000;

    @AttributeDefinition(description = "Pooled connections per provider host.")
    int max_connections_per_host() default 256;

    @AttributeDefinition(description = "Threads of the upstream HTTP client. The proxy is asynchronous: no thread waits for a provider, "
            + "these threads parse upstream answers and copy them to the add-in; a few per core suffice.")
    int client_threads() default 16;

    @AttributeDefinition(description = "FOR TESTS ONLY: let the proxy connect to loopback, private and link-local addresses (normally every upstream host must resolve only to public addresses, S16).")
    boolean allow_private_addresses() default false;

    @AttributeDefinition(description = "Write an audit line (logger switchboard.proxy.audit) per call.")
    boolean audit() default true;
}
