package io.switchboard.testkit.conformance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One CRM connector together with the fake of its provider, as the conformance suite needs them:
 * how to link an account, how to seed and inspect the fake's store, how to make it misbehave,
 * and example records in the unified model. A connector author implements this for a new
 * connector and runs {@link CrmConformance} with it.
 */
public interface CrmConformanceSubject {

    /** The connector's {@code connector.id}. */
    String connectorId();

    /**
     * Links a new account of the given provider user through the connector's real linking flow
     * ({@link SwitchboardClient#linkThroughDialog} or {@link SwitchboardClient#linkWithPassword})
     * and returns its account id.
     */
    String link(SwitchboardClient client, String user);

    /** The {@code externalId} Switchboard must record for an account of that user. */
    String externalIdOf(String user);

    /** Seeds a contact in the fake; returns its provider id. */
    String seedContact(String firstName, String lastName, String email);

    /** Seeds a lead in the fake and returns its id, or empty when the CRM has no leads. */
    Optional<String> seedLead(String lastName, String company, String email);

    /**
     * Whether the fake holds the logged activity ({@code "emails"} or {@code "meetings"}) with
     * that provider id, with that subject, linked to that contact.
     */
    boolean holdsActivity(String kind, String activityId, String subject, String contactId);

    /**
     * Records to round-trip, by unified type: each is created from its unified fields, read back,
     * changed in one field and read again. May create prerequisites (e.g. a company) through
     * {@code client} first.
     */
    Map<String, RoundTrip> roundTrips(SwitchboardClient client, String accountId);

    /** Unified types the CRM lacks; the API answers 404 {@code not-supported-by-connector}. */
    default Set<String> unsupportedTypes() {
        return Set.of();
    }

    /** A create body the provider refuses as invalid (e.g. a contact without its required last name). */
    String invalidContact();

    /** An id of the CRM's own format that no contact has. */
    String missingContactId();

    /** Makes every access token the fake issued so far invalid: the next call with one gets the provider's 401. */
    void expireAccessTokens();

    /** How many refresh-token grants the fake has answered. */
    int refreshCalls();

    /**
     * Makes the fake answer the next API call with the provider's own rate-limit refusal, in the
     * provider's format and with its headers; {@code false} when the provider documents none.
     */
    boolean rateLimitNextCall();

    /** Makes the fake answer the next API call with the provider's own outage (a 5xx in its format). */
    void failNextCall();

    /** One record to round-trip: its unified fields as JSON, and the field to change with its new value. */
    record RoundTrip(String createJson, String field, String newValue) {}

    /** The unified companies to create for the paging check (names and, where useful, other fields). */
    default List<String> pagingCompanies(String prefix) {
        return List.of(0, 1, 2, 3, 4).stream().map(i -> "{\"name\":\"" + prefix + " " + i + "\"}").toList();
    }
}
