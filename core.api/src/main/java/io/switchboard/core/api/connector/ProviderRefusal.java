package io.switchboard.core.api.connector;

import io.switchboard.core.api.ProblemException;
import java.time.Duration;
import java.util.Map;

/**
 * A provider's refusal, classified, as every unified API (CRM, mailbox) reports it: Switchboard
 * answers a problem with a stable type ({@code not-found}, {@code validation},
 * {@code rate-limited} with {@code Retry-After}, {@code reauth-required}, {@code upstream-error},
 * {@code not-supported-by-connector}) carrying the provider's status and message.
 */
public class ProviderRefusal extends Exception {
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

    /**
     * @param upstreamStatus the provider's HTTP status (0 when the refusal is Switchboard's own reading)
     * @param providerMessage the provider's words (never a token)
     * @param retryAfter how long a {@link Kind#RATE_LIMITED} caller should wait, or {@code null}
     */
    public ProviderRefusal(Kind kind, int upstreamStatus, String providerMessage, Duration retryAfter) {
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

    /**
     * The problem the API answers for this refusal.
     *
     * @param provider the provider in words, as details name it ({@code "the CRM"}, {@code "the mailbox"})
     */
    public ProblemException problem(String provider) {
        String message = getMessage() == null ? "" : getMessage();
        Map<String, Object> ext = Map.of("upstreamStatus", upstreamStatus, "providerMessage", message);
        return switch (kind) {
            case NOT_FOUND -> new ProblemException(404, "not-found", "Not Found", provider + " has no such record: " + message, ext);
            case VALIDATION -> new ProblemException(422, "validation", "Validation failed", provider + " refused the data: " + message, ext);
            case RATE_LIMITED -> new ProblemException(429, "rate-limited", "Too Many Requests", provider + "'s rate limit: " + message, ext)
                    .withHeader("Retry-After", Long.toString(retryAfter == null ? 10 : Math.max(1, retryAfter.toSeconds())));
            case UNAUTHORIZED -> new ProblemException(409, "reauth-required", "Re-authorization required",
                    provider + " refused the account's token even after a refresh: " + message, ext);
            case NOT_SUPPORTED -> new ProblemException(404, "not-supported-by-connector", "Not supported by this provider", message, ext);
            case UPSTREAM -> new ProblemException(502, "upstream-error", "Upstream error", provider + " failed: " + message, ext);
        };
    }
}
