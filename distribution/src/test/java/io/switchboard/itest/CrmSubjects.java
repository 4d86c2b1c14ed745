package io.switchboard.itest;

import io.switchboard.testkit.conformance.CrmConformanceSubject;
import io.switchboard.testkit.conformance.FakeProviderSubject;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.crm.FakeHubSpot;
import io.switchboard.testkit.crm.FakeSalesforce;
import io.switchboard.testkit.crm.FakeSugarCrm;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The three shipped CRM connectors with their fakes, as the conformance suite in testkit needs them. */
final class CrmSubjects {
    private CrmSubjects() {}

    static CrmConformanceSubject salesforce(FakeSalesforce fake) {
        return new FakeProviderSubject("salesforce", fake) {
            @Override
            public String link(SwitchboardClient client, String user) {
                fake.signedInUser(user);
                return client.linkThroughDialog("salesforce", fake.authorizeUrl());
            }

            @Override
            public String externalIdOf(String user) {
                return FakeSalesforce.ORG_ID + "/" + FakeSalesforce.userIdOf(user);
            }

            @Override
            public String seedContact(String firstName, String lastName, String email) {
                return fake.seed("Contact", Map.of("FirstName", firstName, "LastName", lastName, "Email", email));
            }

            @Override
            public Optional<String> seedLead(String lastName, String company, String email) {
                return Optional.of(fake.seed("Lead", Map.of("LastName", lastName, "Company", company, "Email", email)));
            }

            @Override
            public boolean holdsActivity(String kind, String activityId, String subject, String contactId) {
                return fake.records(kind.equals("emails") ? "Task" : "Event").stream().anyMatch(r -> activityId.equals(r.get("Id"))
                        && subject.equals(r.get("Subject")) && contactId.equals(r.get("WhoId"))
                        && (kind.equals("meetings") || "Email".equals(r.get("TaskSubtype"))));
            }

            @Override
            public Map<String, RoundTrip> roundTrips(SwitchboardClient client, String accountId) {
                Object company = client.call("POST", "v1/crm/" + accountId + "/companies", "{\"name\":\"Acme\"}").json().get("id");
                return Map.of(
                        "contacts", new RoundTrip("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada-" + UUID.randomUUID() + "@example.com\",\"companyId\":\""
                                + company + "\"}", "title", "Countess"),
                        "companies", new RoundTrip("{\"name\":\"Engines\",\"domain\":\"engines.example\",\"industry\":\"Machinery\"}", "phone",
                                "+44 20"),
                        "leads", new RoundTrip("{\"lastName\":\"Lead\",\"company\":\"Acme\",\"email\":\"l@acme.example\"}", "status", "Working"),
                        "opportunities", new RoundTrip("{\"name\":\"Big deal\",\"stage\":\"Prospecting\",\"closeDate\":\"2027-01-31\","
                                + "\"companyId\":\"" + company + "\"}", "stage", "Closed Won"),
                        "tasks", new RoundTrip("{\"subject\":\"Call back\",\"status\":\"Not Started\",\"dueDate\":\"2026-12-02\"}", "status",
                                "Completed"),
                        // a Salesforce Note needs its parent (ParentId)
                        "notes", new RoundTrip("{\"title\":\"Met at the fair\",\"body\":\"Likes engines\",\"companyId\":\"" + company
                                + "\"}", "body", "Likes looms"));
            }

            @Override
            public String invalidContact() {
                return "{\"firstName\":\"No last name\"}";
            }

            @Override
            public String missingContactId() {
                return "003000000000000AAA";
            }

            @Override
            public boolean rateLimitNextCall() {
                fake.rateLimitNext(1);
                return true;
            }

            @Override
            public void failNextCall() {
                fake.unavailableNext(1);
            }
        };
    }

    static CrmConformanceSubject hubspot(FakeHubSpot fake) {
        return new FakeProviderSubject("hubspot", fake) {
            @Override
            public String link(SwitchboardClient client, String user) {
                fake.signedInUser(user);
                return client.linkThroughDialog("hubspot", fake.authorizeUrl());
            }

            @Override
            public String externalIdOf(String user) {
                return FakeHubSpot.HUB_ID + "/" + Math.abs(user.hashCode());
            }

            @Override
            public String seedContact(String firstName, String lastName, String email) {
                return fake.seed("contacts", Map.of("firstname", firstName, "lastname", lastName, "email", email));
            }

            @Override
            public Optional<String> seedLead(String lastName, String company, String email) {
                return Optional.empty();
            }

            @Override
            public boolean holdsActivity(String kind, String activityId, String subject, String contactId) {
                String title = kind.equals("emails") ? "hs_email_subject" : "hs_meeting_title";
                return fake.records(kind).stream().anyMatch(r -> activityId.equals(r.get("id"))
                        && subject.equals(((Map<?, ?>) r.get("properties")).get(title))
                        && String.valueOf(r.get("associations")).contains("id=" + contactId));
            }

            @Override
            public Map<String, RoundTrip> roundTrips(SwitchboardClient client, String accountId) {
                return Map.of(
                        "contacts", new RoundTrip("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada-" + UUID.randomUUID() + "@example.com\"}", "title",
                                "Countess"),
                        "companies", new RoundTrip("{\"name\":\"Engines\",\"domain\":\"engines.example\"}", "phone", "+44 20"),
                        "opportunities", new RoundTrip("{\"name\":\"Big deal\",\"stage\":\"appointmentscheduled\",\"amount\":\"1000\"}", "stage",
                                "closedwon"),
                        "tasks", new RoundTrip("{\"subject\":\"Call back\",\"status\":\"NOT_STARTED\"}", "status", "COMPLETED"),
                        "notes", new RoundTrip("{\"body\":\"Likes engines\"}", "body", "Likes looms"));
            }

            @Override
            public Set<String> unsupportedTypes() {
                return Set.of("leads");
            }

            @Override
            public String invalidContact() {
                return "{\"lastName\":\"X\",\"email\":\"not-an-address\"}";
            }

            @Override
            public String missingContactId() {
                return "999999";
            }

            @Override
            public List<String> pagingCompanies(String prefix) {
                return List.of(0, 1, 2, 3, 4).stream().map(i -> "{\"name\":\"" + prefix + " " + i + "\",\"domain\":\"c" + i + ".example\"}")
                        .toList();
            }

            @Override
            public boolean rateLimitNextCall() {
                fake.rateLimitNext(1);
                return true;
            }

            @Override
            public void failNextCall() {
                fake.unavailableNext(1);
            }
        };
    }

    static CrmConformanceSubject sugar(FakeSugarCrm fake) {
        String password = "pw-" + UUID.randomUUID();
        return new FakeProviderSubject("sugarcrm", fake) {
            @Override
            public String link(SwitchboardClient client, String user) {
                fake.user(user, password);
                return client.linkWithPassword("sugarcrm", Map.of("instance", fake.instanceUrl(), "username", user, "password", password));
            }

            @Override
            public String externalIdOf(String user) {
                return "127.0.0.1/user-" + user;
            }

            @Override
            public String seedContact(String firstName, String lastName, String email) {
                return fake.seed("Contacts", Map.of("first_name", firstName, "last_name", lastName, "email1", email));
            }

            @Override
            public Optional<String> seedLead(String lastName, String company, String email) {
                return Optional.of(fake.seed("Leads", Map.of("last_name", lastName, "account_name", company, "email1", email)));
            }

            @Override
            public boolean holdsActivity(String kind, String activityId, String subject, String contactId) {
                return fake.records(kind.equals("emails") ? "Emails" : "Meetings").stream().anyMatch(r -> activityId.equals(r.get("id"))
                        && subject.equals(r.get("name")) && contactId.equals(r.get("parent_id"))
                        && Objects.equals(r.get("parent_type"), "Contacts"));
            }

            @Override
            public Map<String, RoundTrip> roundTrips(SwitchboardClient client, String accountId) {
                return Map.of(
                        "contacts", new RoundTrip("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada-" + UUID.randomUUID() + "@example.com\"}", "title",
                                "Countess"),
                        "companies", new RoundTrip("{\"name\":\"Engines\"}", "phone", "+44 20"),
                        "leads", new RoundTrip("{\"lastName\":\"Lead\",\"company\":\"Acme\"}", "status", "In Process"),
                        "opportunities", new RoundTrip("{\"name\":\"Big deal\",\"stage\":\"Prospecting\",\"closeDate\":\"2027-01-31\"}", "stage",
                                "Closed Won"),
                        "tasks", new RoundTrip("{\"subject\":\"Call back\",\"status\":\"Not Started\"}", "status", "Completed"),
                        "notes", new RoundTrip("{\"title\":\"Met at the fair\",\"body\":\"Likes engines\"}", "body", "Likes looms"));
            }

            @Override
            public String invalidContact() {
                return "{\"firstName\":\"No last name\"}";
            }

            @Override
            public String missingContactId() {
                return UUID.randomUUID().toString();
            }

            @Override
            public boolean rateLimitNextCall() {
                return false; // Sugar documents no rate-limit answer
            }

            @Override
            public void failNextCall() {
                fake.unavailableNext(1);
            }
        };
    }
}
