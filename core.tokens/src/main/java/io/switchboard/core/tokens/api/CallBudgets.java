package io.switchboard.core.tokens.api;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.OutboundBudget;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The outbound budgets connectors declare per account (e.g. HubSpot: 100 requests per 10 s),
 * shared by everything that calls a provider for an account (the proxy and the unified CRM API),
 * counted per server instance in fixed windows. A spent budget is answered without calling the
 * provider.
 */
@ProviderType
public interface CallBudgets {
    /**
     * Takes one call from the account's budget.
     *
     * @param budget the connector's budget, or {@code null} for none
     * @return 0 when the call may go, else the milliseconds until the budget's window reopens
     */
    long acquire(String accountId, OutboundBudget budget);

    /**
     * Takes one call from the account's budget, or refuses the call.
     *
     * @throws ProblemException 429 {@code rate-limited} with {@code Retry-After} when the budget is spent
     */
    default void spend(String accountId, OutboundBudget budget) {
        long wait = acquire(accountId, budget);
        if (wait > 0) {
            throw new ProblemException(429, "rate-limited", "Too Many Requests",
                    "the connector's request budget for this account is spent; retry later")
                    .withHeader("Retry-After", Long.toString((wait + 999) / 1000));
        }
    }
}
