package io.switchboard.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One check behind {@code GET /health}. Register an implementation as an OSGi service; the
 * health endpoint calls every registered check and answers 503 when one of them is down.
 *
 * <p>Checks run on the request thread and must be quick (well under a second): look at state
 * kept up to date elsewhere, or make one cheap round trip.
 */
@ConsumerType
public interface HealthCheck {

    /** A short stable name, used as the key in the health document, e.g. {@code database}. */
    String name();

    /** Runs the check. Must not throw; a failure is a {@link Status#down(String)} result. */
    Status check();

    /**
     * The outcome of a check.
     *
     * @param up whether the checked part works
     * @param detail a short human-readable detail, never a secret (no URLs with passwords)
     */
    record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }
}
