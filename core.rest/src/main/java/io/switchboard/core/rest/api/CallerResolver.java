package io.switchboard.core.rest.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks credentials for the edge. Registered by the bundle that owns sessions and apps; the edge
 * calls it once per request that a resource's annotation protects. Each method answers a
 * {@link Caller} or throws a {@link io.switchboard.core.api.ProblemException} ready to leave the
 * server (401 with a challenge, 403, 404).
 */
@ConsumerType
public interface CallerResolver {

    /** A Switchboard session from an {@code Authorization} header value (may be {@code null}). */
    Caller session(String authorization);

    /** The operator token, or the secret of {@code appId}; the app must exist. */
    Caller developer(String authorization, String appId);

    /** The operator token. */
    Caller operator(String authorization);
}
