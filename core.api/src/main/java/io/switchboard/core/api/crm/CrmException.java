package io.switchboard.core.api.crm;

import java.time.Duration;

/**
 * A provider's refusal, classified: Switchboard maps it to a problem with a stable type
 * ({@code not-found}, {@code validation}, {@code rate-limited} with {@code Retry-After},
 * {@code reauth-required}, {@code upstream-error}, {@code not-supported-by-connector}) and the
 * provider's message.
 */
public class CrmException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind { NOT_FOUND, VALIDATION, RATE_LIMITED, UNAUTHORIZED, NOT_SUPPORTED, UPSTREAM }

    private final Kind kind;
    private final int upstreamStatus;
    private final transient Duration retryAfter;

    public CrmException(Kind kind, int upstreamStatus, String providerMessage, Duration retryAfter) {
        super(providerMessage, null, false, false);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
