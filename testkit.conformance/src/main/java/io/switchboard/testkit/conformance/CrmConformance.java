package io.switchboard.testkit.conformance;

import static io.switchboard.testkit.conformance.Checks.check;
import static io.switchboard.testkit.conformance.Checks.equal;
import static io.switchboard.testkit.conformance.Checks.run;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The connector conformance suite: what every CRM connector, deployed in a running Switchboard
 * and pointed at a faithful fake of its provider, must do through the public API. Each check
 * throws an {@link AssertionError} naming what it expected; {@link #runAll()} runs them in order
 * on one linked account. Framework-neutral: call it from JUnit 4 or 5, Pax Exam or a main method.
 *
 * <pre>{@code
 * new CrmConformance(new SwitchboardClient(serverUri, sessionToken), new MySubject(fake)).runAll();
 * }</pre>
 */
public final class CrmConformance {
    private static final String PROBLEM = "urn:switchboard:problem:";

    private final SwitchboardClient client;
    private final CrmConformanceSubject subject;

    public CrmConformance(SwitchboardClient client, CrmConformanceSubject subject) {
        this.client = Objects.requireNonNull(client);
        this.subject = Objects.requireNonNull(subject);
    }

    /** Every check, on one account linked for a fresh provider user; returns the names of the checks that passed. */
    public List<String> runAll() {
        List<String> passed = new ArrayList<>();
        String accountId = linksAndIdentifiesTheAccount("conformance-" + UUID.randomUUID().toString().substring(0, 8));
        passed.add("links and identifies the account");
        run(passed, "round-trips every unified type", () -> roundTripsEveryUnifiedType(accountId));
        run(passed, "refuses the types the CRM lacks", () -> refusesTheTypesTheCrmLacks(accountId));
        run(passed, "pages through at least three pages", () -> pagesThroughAtLeastThreePages(accountId));
        run(passed, "finds people by email", () -> findsPeopleByEmail(accountId));
        run(passed, "logs an email and a meeting on the contact", () -> logsAnEmailAndAMeetingOnTheContact(accountId));
        run(passed, "maps provider errors to problems", () -> mapsProviderErrorsToProblems(accountId));
        run(passed, "refreshes once on a 401 and retries", () -> refreshesOnceOnA401AndRetries(accountId));
        run(passed, "maps rate limits and outages", () -> mapsRateLimitsAndOutages(accountId));
        return passed;
    }

    /** Links an account of {@code user}; it is ACTIVE, of this connector, and has the provider's identity. Returns its id. */
    public String linksAndIdentifiesTheAccount(String user) {
        String accountId = subject.link(client, user);
        Checks.linkedAccount(client, accountId, subject.connectorId(), subject.externalIdOf(user));
        return accountId;
    }

    /** For each round-trip record: create (201, fields as written), read, change one field (200), read again. */
    public void roundTripsEveryUnifiedType(String accountId) {
        Map<String, CrmConformanceSubject.RoundTrip> records = subject.roundTrips(client, accountId);
        check(records.containsKey("contacts") || records.containsKey("companies"), "round trips include contacts or companies");
        records.forEach((type, r) -> {
            SwitchboardClient.Answer created = client.call("POST", "v1/crm/" + accountId + "/" + type, r.createJson());
            equal(created.status(), 201, "create " + type + ": " + created);
            Map<String, Object> record = created.json();
            String id = String.valueOf(record.get("id"));
            equal(record.get("type"), type, "the created record's type");
            Map<String, Object> written = parse(r.createJson());
            written.forEach((field, value) -> equal(fields(record).get(field), value, "created " + type + "." + field));
            SwitchboardClient.Answer read = client.call("GET", "v1/crm/" + accountId + "/" + type + "/" + id, null);
            equal(read.status(), 200, "read " + type + ": " + read);
            written.forEach((field, value) -> equal(fields(read.json()).get(field), value, "read " + type + "." + field));
            SwitchboardClient.Answer changed = client.call("PATCH", "v1/crm/" + accountId + "/" + type + "/" + id,
                    "{\"" + r.field() + "\":\"" + r.newValue() + "\"}");
            equal(changed.status(), 200, "update " + type + ": " + changed);
            SwitchboardClient.Answer again = client.call("GET", "v1/crm/" + accountId + "/" + type + "/" + id, null);
            equal(fields(again.json()).get(r.field()), r.newValue(), "read after update " + type + "." + r.field());
            SwitchboardClient.Answer remote = client.call("GET", "v1/crm/" + accountId + "/" + type + "/" + id + "?remote=true", null);
            check(remote.json().get("remote") instanceof Map, type + " with remote=true carries the provider's raw record");
            check(again.json().get("remote") == null, type + " without remote=true carries no raw record");
        });
    }

    /** The unified types the CRM lacks answer 404 {@code not-supported-by-connector}. */
    public void refusesTheTypesTheCrmLacks(String accountId) {
        for (String type : subject.unsupportedTypes()) {
            assertProblem(client.call("GET", "v1/crm/" + accountId + "/" + type, null), 404, "not-supported-by-connector");
        }
    }

    /**
     * Creates five companies and pages through all companies two at a time: at least three
     * pages, an opaque cursor, no record twice, every created one seen.
     */
    public void pagesThroughAtLeastThreePages(String accountId) {
        Set<String> created = new HashSet<>();
        for (String body : subject.pagingCompanies("Pager " + UUID.randomUUID().toString().substring(0, 6))) {
            SwitchboardClient.Answer c = client.call("POST", "v1/crm/" + accountId + "/companies", body);
            equal(c.status(), 201, "create a company: " + c);
            created.add(String.valueOf(c.json().get("id")));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SwitchboardClient.Answer page = client.call("GET", "v1/crm/" + accountId + "/companies?limit=2"
                    + (cursor == null ? "" : "&cursor=" + SwitchboardClient.enc(cursor)), null);
            equal(page.status(), 200, "a page: " + page);
            List<?> items = (List<?>) page.json().get("items");
            check(items != null && items.size() <= 2, "at most 'limit' items per page");
            items.forEach(i -> seen.add(String.valueOf(((Map<?, ?>) i).get("id"))));
            Object next = page.json().get("cursor");
            cursor = next == null ? null : String.valueOf(next);
            check(cursor == null || !cursor.contains("/") && !cursor.contains("http"), "the cursor is opaque: " + cursor);
            pages++;
        } while (cursor != null && pages < 100);
        check(pages >= 3, "at least 3 pages, was " + pages);
        check(seen.size() == new HashSet<>(seen).size(), "no record on two pages: " + seen);
        check(seen.containsAll(created), "every created company is listed");
    }

    /** A contact (and a lead, where the CRM has them) seeded with one email address are both found by it, contacts first. */
    public void findsPeopleByEmail(String accountId) {
        String email = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contact = subject.seedContact("Sam", "Sender", email);
        Optional<String> lead = subject.seedLead("Sender", "Acme", email);
        subject.seedContact("Other", "Person", "other-" + email);
        SwitchboardClient.Answer people = client.call("GET", "v1/crm/" + accountId + "/people?email=" + SwitchboardClient.enc(email), null);
        equal(people.status(), 200, "people by email: " + people);
        List<?> items = (List<?>) people.json().get("items");
        equal(items.size(), lead.isPresent() ? 2 : 1, "people found: " + people);
        Map<?, ?> first = (Map<?, ?>) items.get(0);
        equal(first.get("id"), contact, "the contact's id");
        equal(first.get("type"), "contacts", "the contact's type");
        equal(fields(first).get("email"), email, "the contact's email");
        equal(fields(first).get("lastName"), "Sender", "the contact's last name");
        lead.ifPresent(id -> {
            equal(((Map<?, ?>) items.get(1)).get("id"), id, "the lead's id");
            equal(((Map<?, ?>) items.get(1)).get("type"), "leads", "the lead's type");
        });
        SwitchboardClient.Answer nobody = client.call("GET", "v1/crm/" + accountId + "/people?email="
                + SwitchboardClient.enc("nobody-" + email), null);
        equal(((List<?>) nobody.json().get("items")).size(), 0, "nobody has an unknown address");
        assertProblem(client.call("GET", "v1/crm/" + accountId + "/people?email=not-an-address", null), 400, "bad-request");
    }

    /** An email and a meeting logged through the API land in the fake as native activities linked to the contact. */
    public void logsAnEmailAndAMeetingOnTheContact(String accountId) {
        String email = "journey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contact = subject.seedContact("Jo", "Journey", email);
        SwitchboardClient.Answer logged = client.call("POST", "v1/crm/" + accountId + "/activities/emails",
                "{\"subject\":\"Re: pricing\",\"bodyText\":\"Thanks!\",\"from\":\"" + email + "\",\"to\":[\"me@example.org\"],"
                        + "\"date\":\"2026-11-28T09:00:00Z\",\"direction\":\"inbound\",\"contactIds\":[\"" + contact + "\"]}");
        equal(logged.status(), 201, "log an email: " + logged);
        check(subject.holdsActivity("emails", String.valueOf(logged.json().get("id")), "Re: pricing", contact),
                "the fake holds the email linked to the contact: " + logged);
        SwitchboardClient.Answer meeting = client.call("POST", "v1/crm/" + accountId + "/activities/meetings",
                "{\"subject\":\"Demo\",\"bodyText\":\"Agenda\",\"date\":\"2026-12-01T15:00:00Z\",\"contactIds\":[\"" + contact + "\"]}");
        equal(meeting.status(), 201, "log a meeting: " + meeting);
        check(subject.holdsActivity("meetings", String.valueOf(meeting.json().get("id")), "Demo", contact),
                "the fake holds the meeting linked to the contact: " + meeting);
        assertProblem(client.call("POST", "v1/crm/" + accountId + "/activities/emails", "{\"bodyText\":\"no subject\"}"), 422,
                "validation");
    }

    /** Provider refusals become problems with stable types and the provider's message. */
    public void mapsProviderErrorsToProblems(String accountId) {
        SwitchboardClient.Answer missing = client.call("GET", "v1/crm/" + accountId + "/contacts/" + subject.missingContactId(), null);
        assertProblem(missing, 404, "not-found");
        check(missing.json().get("providerMessage") != null, "a missing record's problem carries the provider's message: " + missing);
        SwitchboardClient.Answer invalid = client.call("POST", "v1/crm/" + accountId + "/contacts", subject.invalidContact());
        assertProblem(invalid, 422, "validation");
        check(invalid.json().get("providerMessage") != null, "an invalid record's problem carries the provider's message: " + invalid);
        assertProblem(client.call("GET", "v1/crm/" + accountId + "/widgets", null), 404, "not-found");
        assertProblem(client.call("GET", "v1/crm/" + UUID.randomUUID() + "/contacts", null), 404, "not-found");
    }

    /** With every access token expired at the provider, a call still succeeds, after exactly one refresh. */
    public void refreshesOnceOnA401AndRetries(String accountId) {
        int refreshes = subject.refreshCalls();
        subject.expireAccessTokens();
        SwitchboardClient.Answer after = client.call("GET", "v1/crm/" + accountId + "/companies?limit=1", null);
        equal(after.status(), 200, "a call after the tokens expired: " + after);
        equal(subject.refreshCalls(), refreshes + 1, "refresh-token grants");
        SwitchboardClient.Answer again = client.call("GET", "v1/crm/" + accountId + "/companies?limit=1", null);
        equal(again.status(), 200, "the next call: " + again);
        equal(subject.refreshCalls(), refreshes + 1, "refresh-token grants after the next call (the new token is kept)");
    }

    /**
     * The provider's rate-limit refusal becomes 429 {@code rate-limited} with {@code Retry-After};
     * its outage becomes 502 {@code upstream-error}; both carry the provider's message, and the next
     * call succeeds.
     */
    public void mapsRateLimitsAndOutages(String accountId) {
        if (subject.rateLimitNextCall()) {
            SwitchboardClient.Answer limited = client.call("GET", "v1/crm/" + accountId + "/contacts?limit=1", null);
            assertProblem(limited, 429, "rate-limited");
            String retryAfter = limited.header("Retry-After");
            check(retryAfter != null && retryAfter.matches("[1-9][0-9]*"), "a Retry-After in seconds: " + retryAfter);
            check(limited.json().get("providerMessage") != null, "the rate limit's problem carries the provider's message: " + limited);
        }
        subject.failNextCall();
        SwitchboardClient.Answer down = client.call("GET", "v1/crm/" + accountId + "/contacts?limit=1", null);
        assertProblem(down, 502, "upstream-error");
        check(down.json().get("providerMessage") != null, "the outage's problem carries the provider's message: " + down);
        equal(client.call("GET", "v1/crm/" + accountId + "/contacts?limit=1", null).status(), 200, "the call after");
    }

    private static void assertProblem(SwitchboardClient.Answer answer, int status, String slug) {
        equal(answer.status(), status, "status of " + answer);
        String type = answer.header("Content-Type");
        check(type != null && type.startsWith("application/problem+json"), "a problem+json answer: " + answer);
        equal(answer.json().get("type"), PROBLEM + slug, "problem type of " + answer);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<?, ?> record) {
        Object fields = record.get("fields");
        check(fields instanceof Map, "the record has unified fields: " + record);
        return (Map<String, Object>) fields;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return new LinkedHashMap<>(JSONObjectUtils.parse(json));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}
