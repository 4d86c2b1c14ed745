package io.switchboard.core.vault.internal;

import io.switchboard.core.api.ProblemException;
import java.time.Duration;
import java.util.Map;

/** The problems an account's token answers with when it cannot be had. */
final class VaultProblems {
    private VaultProblems() {}

    /** 409 {@code reauth-required}: the user must link the account again. */
    static ProblemException reauth(AccountEntity row) {
        return new ProblemException(409, "reauth-required", "Re-authorization required", "the user must link this account again",
                Map.of("accountId", row.id, "connect", "/v1/connect/" + row.connectorId + "/tickets"));
    }

    /** 503 {@code upstream-unavailable} with {@code Retry-After}: the provider could not refresh the token. */
    static ProblemException unavailable(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter == null ? 30 : retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
        return new ProblemException(503, "upstream-unavailable", "Provider unavailable",
                "the provider could not refresh this account's token; try again later")
                .withHeader("Retry-After", Long.toString(seconds));
    }
}
