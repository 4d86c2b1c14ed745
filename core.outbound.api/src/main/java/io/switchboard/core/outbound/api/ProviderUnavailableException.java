package io.switchboard.core.outbound.api;

import java.time.Duration;

/** A provider could not answer now (5xx, 429, network, an unreadable answer): try again later. */
public final class ProviderUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Duration retryAfter;

    public ProviderUnavailableException(String message, int status, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The provider's status, or 0 when it was not reached. */
    public int status() {
        return status;
    }

    /** The provider's {@code Retry-After}, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
