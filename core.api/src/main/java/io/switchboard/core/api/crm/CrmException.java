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
    public enum Kind {
        NOT_FOUND, VALIDATION, RATE_LIMITED, UNAUTHORIZED, NOT_SUPPORTED, UPSTREAM;

        /** The usual reading of an HTTP status: 404, 401, 429, other 4xx (the data), 5xx and the rest (the provider). */
        public static Kind ofStatus(int status) {
            return switch (status) {
                case 404 -> NOT_FOUND;
                case 401 -> UNAUTHORIZED;
                case 429 -> RATE_LIMITED;
                default -> status >= 400 && status < 500 ? VALIDATION : UPSTREAM;
            };
        }
    }

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
