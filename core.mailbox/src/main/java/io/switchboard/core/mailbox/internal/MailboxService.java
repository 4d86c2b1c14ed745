package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.mailbox.api.CalendarConnector;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarSync;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxConnector;
import io.switchboard.core.mailbox.api.MailboxPush;
import io.switchboard.core.mailbox.api.MailboxSync;
import io.switchboard.core.mailbox.api.Mailboxes;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs one unified mail or calendar operation for the signed-in user: the account (404 unless it is the
 * caller's), a valid token, its mailbox connector (404 {@code not-a-mailbox} for a CRM account),
 * and the provider's refusals as problems with stable types.
 */
@Designate(ocd = MailboxConfig.class)
@Component(service = {MailboxService.class, Mailboxes.class}, configurationPid = MailboxConfig.PID)
public class MailboxService implements Mailboxes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MailboxService.class);

    /** One unified operation on a connector of type {@code C}. */
    @FunctionalInterface
    interface Operation<C, T> {
        T run(C connector, MailboxCalls http) throws ProviderRefusal, IOException;
    }

    private final TokenVault vault;
    private final MailboxConnectors connectors;
    private final ProviderCalls calls;
    private final Duration timeout;
    final int maxLimit;
    final int maxAttachmentBytes;

    @Activate
    public MailboxService(@Reference TokenVault vault, @Reference MailboxConnectors connectors, @Reference ProviderCalls calls,
                          MailboxConfig config) {
        this.vault = vault;
        this.connectors = connectors;
        this.calls = calls;
        this.timeout = Duration.ofMillis(Math.max(1, config.timeout_ms()));
        this.maxLimit = Math.max(1, config.max_limit());
        this.maxAttachmentBytes = Math.max(0, config.max_attachment_bytes());
    }

    /** A mail operation on the caller's account. */
    <T> T run(Caller caller, String accountId, Operation<MailboxConnector, T> operation) {
        return run(caller, accountId, connectors::require, operation);
    }

    /** A calendar operation on the caller's account. */
    <T> T calendar(Caller caller, String accountId, Operation<CalendarConnector, T> operation) {
        return run(caller, accountId, connectors::requireCalendar, operation);
    }

    /** A background run's calls: they wait for the account's budget rather than fail (see {@link MailboxCalls}). */
    @Override
    public MailboxCalls http(String appId, AccessToken token) {
        return calls(appId, token, true);
    }

    private MailboxCalls calls(String appId, AccessToken token, boolean patient) {
        return new MailboxCalls(calls.account(token, rejected -> vault.afterRejection(appId, rejected.accountId(), rejected), timeout), patient);
    }

    @Override
    public MailboxConnector connector(String connectorId) {
        return connectors.require(connectorId);
    }

    @Override
    public java.util.Optional<MailboxSync> sync(String connectorId) {
        connectors.require(connectorId);
        return connectors.sync(connectorId);
    }

    @Override
    public java.util.Optional<CalendarSync> calendarSync(String connectorId) {
        connectors.requireCalendar(connectorId);
        return connectors.calendarSync(connectorId);
    }

    @Override
    public java.util.Optional<MailboxPush> push(String connectorId) {
        return connectors.push(connectorId);
    }

    @Override
    public java.util.Map<String, Object> record(MailMessage message) {
        return MailJson.message(message, false);
    }

    @Override
    public java.util.Map<String, Object> record(CalendarEvent event) {
        return CalendarJson.event(event, false);
    }

    private <C, T> T run(Caller caller, String accountId, java.util.function.Function<String, C> connectorOf, Operation<C, T> operation) {
        AccessToken token = vault.accessTokenFor(caller.appId(), caller.userId(), accountId);
        C connector = connectorOf.apply(token.connectorId());
        try {
            return operation.run(connector, calls(caller.appId(), token, false));
        } catch (ProviderRefusal e) {
            throw e.problem("the mailbox");
        } catch (IOException e) {
            LOG.warn("Mailbox call for account {} failed: {}", accountId, e.toString());
            throw new ProblemException(502, "upstream-unreachable", "Upstream unreachable",
                    "the mailbox provider could not be reached or answered nonsense");
        }
    }
}
