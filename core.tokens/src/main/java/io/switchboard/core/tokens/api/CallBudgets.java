package io.switchboard.core.tokens.api;

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
}
