package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.mailbox.api.CalendarConnector;
import io.switchboard.core.mailbox.api.CalendarSync;
import io.switchboard.core.mailbox.api.MailboxConnector;
import io.switchboard.core.mailbox.api.MailboxPush;
import io.switchboard.core.mailbox.api.MailboxSync;
import io.switchboard.core.api.util.ServicesById;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The mailbox and calendar connectors installed right now, by {@code connector.id}; the newest registration wins. */
@Component(service = MailboxConnectors.class)
public class MailboxConnectors {
    private final ServicesById<MailboxConnector> connectors = new ServicesById<>();
    private final ServicesById<CalendarConnector> calendars = new ServicesById<>();
    private final ServicesById<MailboxSync> syncs = new ServicesById<>();
    private final ServicesById<CalendarSync> calendarSyncs = new ServicesById<>();
    private final ServicesById<MailboxPush> pushes = new ServicesById<>();

    @Reference(service = MailboxConnector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void add(MailboxConnector connector, Map<String, Object> properties) {
        add(connectors, connector, properties);
    }

    void remove(MailboxConnector connector) {
        connectors.remove(connector);
    }

    @Reference(service = CalendarConnector.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCalendar(CalendarConnector connector, Map<String, Object> properties) {
        add(calendars, connector, properties);
    }

    void removeCalendar(CalendarConnector connector) {
        calendars.remove(connector);
    }

    @Reference(service = MailboxSync.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSync(MailboxSync sync, Map<String, Object> properties) {
        add(syncs, sync, properties);
    }

    void removeSync(MailboxSync sync) {
        syncs.remove(sync);
    }

    @Reference(service = CalendarSync.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCalendarSync(CalendarSync sync, Map<String, Object> properties) {
        add(calendarSyncs, sync, properties);
    }

    void removeCalendarSync(CalendarSync sync) {
        calendarSyncs.remove(sync);
    }

    @Reference(service = MailboxPush.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPush(MailboxPush push, Map<String, Object> properties) {
        add(pushes, push, properties);
    }

    void removePush(MailboxPush push) {
        pushes.remove(push);
    }

    /** The connector's change notifications, if it has them installed now. */
    java.util.Optional<MailboxPush> push(String connectorId) {
        return pushes.find(connectorId);
    }

    /** Keeps a service under the {@code connector.id} it was registered with (one without is not a connector's). */
    private static <S> void add(ServicesById<S> to, S service, Map<String, Object> properties) {
        if (properties.get(Connector.ID) instanceof String id) {
            to.add(id, service);
        }
    }

    /** The connector's calendar sync, if it has one installed now. */
    java.util.Optional<CalendarSync> calendarSync(String connectorId) {
        return calendarSyncs.find(connectorId);
    }

    /** The connector's sync, if it has one installed now. */
    java.util.Optional<MailboxSync> sync(String connectorId) {
        return syncs.find(connectorId);
    }

    /** The account's calendar connector, as {@link #require} for mailboxes: 404 {@code not-a-calendar} for a connector without one. */
    CalendarConnector requireCalendar(String connectorId) {
        return calendars.find(connectorId).orElseThrow(() -> new ProblemException(404, "not-a-calendar", "Not a calendar",
                "the account's connector '" + connectorId + "' has no calendar"));
    }

    /**
     * The account's mailbox connector. The vault answered for the account, so its connector is
     * installed: without a mailbox connector of the same id it is not a mailbox (a CRM).
     *
     * @throws ProblemException 404 {@code not-a-mailbox}
     */
    MailboxConnector require(String connectorId) {
        return connectors.find(connectorId).orElseThrow(() -> new ProblemException(404, "not-a-mailbox", "Not a mailbox",
                "the account's connector '" + connectorId + "' has no mailbox"));
    }
}
