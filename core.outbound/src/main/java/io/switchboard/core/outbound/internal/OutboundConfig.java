package io.switchboard.core.outbound.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard outbound calls to providers")
@interface OutboundConfig {
    String PID = "switchboard.outbound";

    @AttributeDefinition(description = "Connect timeout to a provider, in milliseconds.")
    long connect_timeout_ms() default 5_000;

    @AttributeDefinition(description = "Timeout of a token, identity or revocation call, in milliseconds.")
    long call_timeout_ms() default 15_000;

    @AttributeDefinition(description = "Idle timeout of a connection or a response body stream, in milliseconds.")
    long idle_timeout_ms() default 60_000;

    @AttributeDefinition(description = "Pooled connections per provider host.")
    int max_connections_per_host() default 256;

    @AttributeDefinition(description = "Threads of the HTTP client. Calls are asynchronous: no thread waits for a provider; "
            + "these threads parse answers and copy relayed ones to the add-in; a few per core suffice.")
    int client_threads() default 16;

    @AttributeDefinition(description = "FOR TESTS ONLY: let calls reach http:// and loopback, private and link-local addresses "
            + "(normally every provider host must resolve only to public addresses, docs/security.md S16).")
    boolean allow_private_addresses() default false;
}
