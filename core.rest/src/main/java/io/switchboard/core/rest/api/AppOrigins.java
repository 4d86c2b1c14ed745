package io.switchboard.core.rest.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The browser origins apps registered, for the edge's CORS policy. Registered by the bundle that
 * owns apps.
 */
@ConsumerType
public interface AppOrigins {

    /** Whether some app registered this origin (what a preflight, which names no app, is answered for). */
    boolean anyAppAllows(String origin);

    /** Whether the app registered this origin. */
    boolean appAllows(String appId, String origin);
}
