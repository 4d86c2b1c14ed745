package io.switchboard.core.crm.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.crm.api.CrmConnector;
import io.switchboard.core.crm.api.CrmException;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs one unified operation for the signed-in user: finds the account (404 unless it is the
 * caller's), its CRM connector (503 while absent), a valid token, and maps the provider's
 * refusals to problems with stable types.
 */
@Designate(ocd = CrmConfig.class)
@Component(service = CrmService.class, configurationPid = CrmConfig.PID)
public class CrmService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrmService.class);

    /** One unified operation. */
    @FunctionalInterface
    interface Operation<T> {
        T run(CrmConnector connector, AccountHttp http) throws CrmException, IOException;
    }

    private final TokenVault vault;
    private final CrmConnectors connectors;
    private final ProviderCalls calls;
    private final Duration timeout;
    final int maxLimit;

    @Activate
    public CrmService(@Reference TokenVault vault, @Reference CrmConnectors connectors, @Reference ProviderCalls calls, CrmConfig config) {
        this.vault = vault;
        this.calls = calls;
        this.connectors = connectors;
        this.timeout = Duration.ofMillis(Math.max(1, config.timeout_ms()));
        this.maxLimit = config.max_limit();
    }

    <T> T run(Caller p, String accountId, Operation<T> operation) {
        AccessToken token = vault.accessTokenFor(p.appId(), p.userId(), accountId);
        CrmConnector connector = connectors.require(token.connectorId());
        try {
            return operation.run(connector, new AccountHttp(calls.account(token,
                    rejected -> vault.afterRejection(p.appId(), rejected.accountId(), rejected), timeout), connector.shape()));
        } catch (CrmException e) {
            throw e.problem("the CRM");
        } catch (IOException e) {
            LOG.warn("CRM call for account {} failed: {}", accountId, e.toString());
            throw new ProblemException(502, "upstream-unreachable", "Upstream unreachable", "the CRM could not be reached or answered nonsense");
        }
    }
}
