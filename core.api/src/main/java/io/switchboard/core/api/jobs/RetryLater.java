package io.switchboard.core.api.jobs;

import java.time.Duration;

/**
 * Thrown by a run when the provider said when to come back ({@code Retry-After}, a 429 or 503):
 * the run is due again after {@code after}, and every other run of the same account waits as
 * long, so that the account's jobs do not hammer a provider that asked for a pause. It counts as
 * a failed attempt.
 */
public class RetryLater extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration after;

    public RetryLater(Duration after, String message) {
        super(message, null, false, false);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
