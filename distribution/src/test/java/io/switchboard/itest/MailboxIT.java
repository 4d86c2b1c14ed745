package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.mailbox.FakeGraph;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 16, the unified mailbox ({@code /v1/mail/{account}/...}) over Microsoft Graph and Gmail,
 * against testkit's fakes: the same journey on both (link, folders, the inbox page by page and
 * filtered, a message read with its bodies and attachments, a reply that lands in its thread, a
 * new message), message ids that survive a move, and the providers' refusals as stable problems.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailboxIT extends ConnectorTestSupport {
    static MailboxProviders providers;

    private Http setUp() throws Exception {
        Http http = awaitHealthy();
        providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        return http;
    }

    private static Http.Answer mail(Http http, String method, String path, String body) {
        return call(http, method, "v1/mail/" + path, body);
    }

    private static Http.Answer calendar(Http http, String method, String path, String body) {
        return call(http, method, "v1/calendar/" + path, body);
    }

    private static Http.Answer call(Http http, String method, String path, String body) {
        return http.send(http.request(path).header("Authorization", "Bearer " + providers.app.session())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode ok(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        return answer.json();
    }

    /** Every item of a list, following its cursor, with {@code limit} a page. */
    private static List<JsonNode> all(Http http, String path, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(mail(http, "GET", path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), null), 200);
            page.path("items").forEach(items::add);
            cursor = page.path("cursor").isNull() ? null : page.path("cursor").asText();
            assertThat(++pages).isLessThan(50);
        } while (cursor != null);
        return items;
    }

    /**
     * A linked account ties to the signed-in user when it is the same person: a Microsoft 365
     * mailbox of the Entra user the session was made for (same tenant and object id) is
     * {@code self}; a colleague's mailbox linked in the same session is not, nor is any mailbox to
     * a session of another user.
     */
    @Test
    public void aMailboxOfTheSignedInUserIsTheirOwn() throws Exception {
        Http http = setUp();
        String ann = "self-" + UUID.randomUUID().toString().substring(0, 8);
        String session = IdentityIT.signIn(http, providers.app.app(), providers.entra.sign(providers.entra.accessTokenV2(
                io.switchboard.testkit.oauth.FakeMicrosoftLogin.TENANT, io.switchboard.testkit.oauth.FakeMicrosoftLogin.objectId(ann),
                ConnectorTestSupport.API, "x").build())).path("accessToken").asText();
        providers.login.signedInUser(ann);
        String own = client(http, session).linkThroughDialog("microsoft", providers.login.baseUri() + "/common/oauth2/v2.0/authorize");
        providers.login.signedInUser("colleague-" + ann);
        String colleague = client(http, session).linkThroughDialog("microsoft", providers.login.baseUri() + "/common/oauth2/v2.0/authorize");
        assertThat(ConnectorTestSupport.account(http, session, own).path("self").asBoolean()).as("the user's own mailbox").isTrue();
        assertThat(ConnectorTestSupport.account(http, session, colleague).path("self").asBoolean()).as("a colleague's").isFalse();
        JsonNode listed = http.send(http.request("v1/accounts").header("Authorization", "Bearer " + session).GET().build()).json();
        assertThat(listed.path("items").findValues("self").stream().map(JsonNode::asBoolean).toList()).containsExactlyInAnyOrder(true, false);
        String other = providers.linkMicrosoft(http, "other-" + ann); // the app's usual session: another user
        assertThat(ConnectorTestSupport.account(http, providers.app.session(), other).path("self").asBoolean()).isFalse();
    }

    /**
     * "My own mailbox" with no second consent screen: the add-in's Office SSO token (for the app's
     * API) is traded on behalf of the user for Graph tokens (POST /v1/accounts/self), once the app
     * allows it (connector option self.link=obo) and the user or an admin has consented; without
     * consent the provider's refusal says to use the dialog; a colleague's token is refused.
     */
    @Test
    public void theSignedInUsersOwnMailboxLinksOnBehalfOfTheirSsoToken() throws Exception {
        Http http = setUp();
        String ann = "obo-" + UUID.randomUUID().toString().substring(0, 8);
        String sso = providers.entra.sign(providers.entra.accessTokenV2(io.switchboard.testkit.oauth.FakeMicrosoftLogin.TENANT,
                io.switchboard.testkit.oauth.FakeMicrosoftLogin.objectId(ann), ConnectorTestSupport.API, "access_as_user").build());
        String session = IdentityIT.signIn(http, providers.app.app(), sso).path("accessToken").asText();
        String body = "{\"connector\":\"microsoft\",\"assertion\":\"" + sso + "\"}";
        Http.Answer off = selfLink(http, session, body);
        assertThat(off.status()).as(off.toString()).isEqualTo(409);
        assertThat(off.json().path("type").asText()).endsWith("self-link-not-enabled");
        String settings = "{\"clientId\":\"ms-client\",\"clientSecret\":\"" + providers.msSecret + "\"";
        try {
            providers.enable(http, "microsoft", settings + ",\"options\":{\"self.link\":\"obo\"}}");
            providers.login.trustAssertionsFrom(providers.entra.signingKey(), ConnectorTestSupport.API);
            Http.Answer refused = selfLink(http, session, body);
            assertThat(refused.status()).as("no consent yet: " + refused).isEqualTo(409);
            assertThat(refused.json().path("type").asText()).endsWith("self-link-refused");

            providers.login.consented(ann);
            Http.Answer linked = selfLink(http, session, body);
            assertThat(linked.status()).as(linked.toString()).isEqualTo(201);
            assertThat(linked.json().path("self").asBoolean()).isTrue();
            assertThat(linked.json().path("status").asText()).isEqualTo("ACTIVE");
            String account = linked.json().path("id").asText();
            Http.Answer folders = http.send(http.request("v1/mail/" + account + "/folders").header("Authorization", "Bearer " + session).GET().build());
            assertThat(folders.status()).as("the traded token reads the mailbox: " + folders).isEqualTo(200);

            String colleague = "obo-colleague-" + UUID.randomUUID().toString().substring(0, 6);
            providers.login.consented(colleague);
            String theirs = providers.entra.sign(providers.entra.accessTokenV2(io.switchboard.testkit.oauth.FakeMicrosoftLogin.TENANT,
                    io.switchboard.testkit.oauth.FakeMicrosoftLogin.objectId(colleague), ConnectorTestSupport.API, "access_as_user").build());
            Http.Answer stolen = selfLink(http, session, "{\"connector\":\"microsoft\",\"assertion\":\"" + theirs + "\"}");
            assertThat(stolen.status()).as("a colleague's token in ann's session: " + stolen).isEqualTo(403);
            JsonNode mine = http.send(http.request("v1/accounts").header("Authorization", "Bearer " + session).GET().build()).json();
            assertThat(mine.path("items").size()).as("nothing kept of the colleague's").isEqualTo(1);
        } finally {
            providers.enable(http, "microsoft", settings + "}");
        }
    }

    private static Http.Answer selfLink(Http http, String session, String body) {
        return http.send(http.request("v1/accounts/self").header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Both mailbox connectors pass testkit's mailbox conformance suite, each against its provider's fake. */
    @Test
    public void bothMailboxConnectorsPassTheConformanceSuite() throws Exception {
        Http http = setUp();
        for (var subject : List.of(MailboxSubjects.microsoft(providers), MailboxSubjects.google(providers))) {
            assertThat(new io.switchboard.testkit.conformance.MailboxConformance(client(http, providers.app.session()), subject).runAll())
                    .as(subject.connectorId()).hasSize(11);
        }
    }

    @Test
    public void aMicrosoftMailboxJourneyFromInboxToAReplyInItsThread() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String user = "ms-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        String first = graph.deliver(user, "ann@customer.example", "Pricing", "<p>How much is it?</p>", now.minusSeconds(300));
        graph.deliver(user, "bob@customer.example", "Lunch", "<p>Tomorrow?</p>", now.minusSeconds(200));
        String third = graph.deliver(user, "ann@customer.example", "Contract", "<p>Attached, <b>signed</b>.</p>", now.minusSeconds(100));
        graph.attach(user, third, "contract.pdf", "application/pdf", 48_213);
        String account = providers.linkMicrosoft(http, user);

        JsonNode folders = ok(mail(http, "GET", account + "/folders", null), 200).path("items");
        List<String> kinds = new ArrayList<>();
        folders.forEach(f -> kinds.add(f.path("kind").asText()));
        assertThat(kinds).contains("inbox", "sent", "drafts", "trash", "spam", "archive");

        List<JsonNode> inbox = all(http, account + "/messages?folder=inbox", 2);
        assertThat(inbox).extracting(m -> m.path("subject").asText()).containsExactly("Contract", "Lunch", "Pricing");
        assertThat(inbox.get(0).path("id").asText()).isEqualTo(third);
        assertThat(inbox.get(0).path("from").path("address").asText()).isEqualTo("ann@customer.example");
        assertThat(inbox.get(0).path("unread").asBoolean()).isTrue();
        assertThat(inbox.get(0).has("htmlBody")).as("lists carry no bodies").isFalse();
        assertThat(all(http, account + "/messages?folder=inbox&from=ann@customer.example&after=2026-12-01T09:56:00Z", 10))
                .extracting(m -> m.path("subject").asText()).containsExactly("Contract");

        JsonNode contract = ok(mail(http, "GET", account + "/messages/" + third, null), 200);
        assertThat(contract.path("htmlBody").asText()).isEqualTo("<p>Attached, <b>signed</b>.</p>");
        assertThat(contract.path("textBody").asText()).isEqualTo("Attached, signed .");
        assertThat(contract.path("attachments").get(0).path("name").asText()).isEqualTo("contract.pdf");
        assertThat(contract.path("attachments").get(0).path("size").asLong()).isEqualTo(48_213);

        JsonNode reply = ok(mail(http, "POST", account + "/messages", "{\"inReplyTo\":\"" + first + "\",\"text\":\"It is 42.\"}"), 202);
        String conversation = graph.messagesIn(user, "inbox").stream().filter(m -> m.get("id").equals(first)).findFirst().orElseThrow()
                .get("conversationId").toString();
        assertThat(reply.path("threadId").asText()).isEqualTo(conversation);
        List<Map<String, Object>> sent = graph.messagesIn(user, "sentitems");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsEntry("conversationId", conversation).containsEntry("subject", "RE: Pricing");
        assertThat(String.valueOf(sent.get(0).get("toRecipients"))).contains("ann@customer.example");
        assertThat(String.valueOf(sent.get(0).get("body"))).contains("It is 42.");

        ok(mail(http, "POST", account + "/messages", "{\"to\":[{\"name\":\"Cat\",\"address\":\"cat@customer.example\"}],"
                + "\"cc\":[\"dan@customer.example\"],\"subject\":\"Hello\",\"html\":\"<p>Hi Cat</p>\",\"text\":\"Hi Cat\"}"), 202);
        Map<String, Object> hello = graph.messagesIn(user, "sentitems").stream().filter(m -> "Hello".equals(m.get("subject"))).findFirst()
                .orElseThrow();
        assertThat(String.valueOf(hello.get("toRecipients"))).contains("cat@customer.example").contains("Cat");
        assertThat(String.valueOf(hello.get("ccRecipients"))).contains("dan@customer.example");
        assertThat(hello.get("conversationId")).isNotEqualTo(conversation);
    }

    @Test
    public void aGmailJourneyFromInboxToAReplyInItsThread() throws Exception {
        Http http = setUp();
        FakeGmail gmail = providers.gmail;
        String user = "g-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        String first = gmail.deliver(user, "Ann Example <ann@customer.example>", "Pricing", "How much is it?", "<p>How much is it?</p>",
                now.minusSeconds(300));
        gmail.deliver(user, "bob@customer.example", "Lunch", "Tomorrow?", null, now.minusSeconds(200));
        String third = gmail.deliver(user, "\"Example, Ann\" <ann@customer.example>", "Contract", "Attached, signed.",
                "<p>Attached, <b>signed</b>.</p>", now.minusSeconds(100));
        gmail.attach(user, third, "contract.pdf", "application/pdf", 48_213);
        gmail.labelMessage(user, first, "UNREAD", false);
        String customers = gmail.label(user, "Customers");
        gmail.labelMessage(user, third, customers, true);
        String account = providers.linkGoogle(http, user);

        JsonNode folders = ok(mail(http, "GET", account + "/folders", null), 200).path("items");
        List<String> kinds = new ArrayList<>();
        folders.forEach(f -> kinds.add(f.path("kind").asText() + ":" + f.path("name").asText()));
        assertThat(kinds).contains("inbox:INBOX", "sent:SENT", "drafts:DRAFT", "trash:TRASH", "spam:SPAM", "label:Customers");

        List<JsonNode> inbox = all(http, account + "/messages?folder=inbox", 2);
        assertThat(inbox).extracting(m -> m.path("subject").asText()).containsExactly("Contract", "Lunch", "Pricing");
        assertThat(inbox.get(0).path("from").path("name").asText()).as("a quoted display name with a comma").isEqualTo("Example, Ann");
        assertThat(inbox.get(0).path("folderIds").toString()).contains(customers);
        assertThat(all(http, account + "/messages?folder=inbox&unread=true", 10)).extracting(m -> m.path("subject").asText())
                .containsExactly("Contract", "Lunch");
        assertThat(all(http, account + "/messages?folder=" + customers, 10)).extracting(m -> m.path("subject").asText())
                .containsExactly("Contract");
        assertThat(all(http, account + "/messages?from=ann@customer.example&before=2026-12-01T09:57:00Z", 10))
                .extracting(m -> m.path("subject").asText()).containsExactly("Pricing");

        JsonNode contract = ok(mail(http, "GET", account + "/messages/" + third, null), 200);
        assertThat(contract.path("textBody").asText()).isEqualTo("Attached, signed.");
        assertThat(contract.path("htmlBody").asText()).isEqualTo("<p>Attached, <b>signed</b>.</p>");
        assertThat(contract.path("attachments").get(0).path("name").asText()).isEqualTo("contract.pdf");

        JsonNode reply = ok(mail(http, "POST", account + "/messages", "{\"inReplyTo\":\"" + first + "\",\"text\":\"It is 42 €.\","
                + "\"html\":\"<p>It is 42 €.</p>\"}"), 202);
        Map<String, Object> original = gmail.messages(user).stream().filter(m -> m.get("id").equals(first)).findFirst().orElseThrow();
        Map<String, Object> sent = gmail.messages(user).stream().filter(m -> m.get("id").equals(reply.path("id").asText())).findFirst()
                .orElseThrow();
        assertThat(sent.get("threadId")).as("the reply joined the original's thread").isEqualTo(original.get("threadId"));
        assertThat(reply.path("threadId").asText()).isEqualTo(original.get("threadId"));
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) sent.get("headers");
        @SuppressWarnings("unchecked")
        Map<String, String> originalHeaders = (Map<String, String>) original.get("headers");
        assertThat(headers).containsEntry("Subject", "Re: Pricing").containsEntry("In-Reply-To", originalHeaders.get("Message-ID"));
        assertThat(headers.get("To")).contains("ann@customer.example");
        assertThat(sent).containsEntry("text", "It is 42 €.").containsEntry("html", "<p>It is 42 €.</p>");

        JsonNode fresh = ok(mail(http, "POST", account + "/messages", "{\"to\":[{\"name\":\"Zoë Example\",\"address\":\"zoe@customer.example\"}],"
                + "\"bcc\":[\"audit@customer.example\"],\"subject\":\"Grüße\",\"text\":\"Hallo\"}"), 202);
        Map<String, Object> hello = gmail.messages(user).stream().filter(m -> m.get("id").equals(fresh.path("id").asText())).findFirst()
                .orElseThrow();
        assertThat(hello.get("threadId")).isEqualTo(fresh.path("id").asText());
        @SuppressWarnings("unchecked")
        Map<String, String> helloHeaders = (Map<String, String>) hello.get("headers");
        assertThat(helloHeaders).containsEntry("Subject", "Grüße").doesNotContainKey("Bcc");
        assertThat(helloHeaders.get("To")).isEqualTo("Zoë Example <zoe@customer.example>");
    }

    @Test
    public void aMicrosoftMessageKeepsItsIdWhenTheUserMovesIt() throws Exception {
        Http http = setUp();
        String user = "mover-" + UUID.randomUUID().toString().substring(0, 8);
        String id = providers.graph.deliver(user, "ann@customer.example", "Keep me", "<p>x</p>", Instant.now());
        String account = providers.linkMicrosoft(http, user);
        assertThat(ok(mail(http, "GET", account + "/messages/" + id, null), 200).path("subject").asText()).isEqualTo("Keep me");
        providers.graph.move(user, id, "archive");
        JsonNode moved = ok(mail(http, "GET", account + "/messages/" + id, null), 200);
        assertThat(moved.path("id").asText()).isEqualTo(id);
        assertThat(all(http, account + "/messages?folder=archive", 10)).extracting(m -> m.path("id").asText()).containsExactly(id);
    }

    @Test
    public void messagesAreMarkedMovedAndDeletedAsTheUsersOwnClientWould() throws Exception {
        Http http = setUp();
        String msUser = "act-" + UUID.randomUUID().toString().substring(0, 8);
        String gUser = "act-" + UUID.randomUUID().toString().substring(0, 8);
        String graphId = providers.graph.deliver(msUser, "ann@customer.example", "Act on me", "<p>x</p>", Instant.now());
        String gmailId = providers.gmail.deliver(gUser, "ann@customer.example", "Act on me", "x", null, Instant.now());
        String customers = providers.gmail.label(gUser, "Customers");
        String ms = providers.linkMicrosoft(http, msUser);
        String google = providers.linkGoogle(http, gUser);

        for (String[] target : new String[][] {{ms, graphId}, {google, gmailId}}) {
            String path = target[0] + "/messages/" + target[1];
            assertThat(mail(http, "PATCH", path, "{\"unread\":false,\"flagged\":true}").status()).isEqualTo(204);
            JsonNode marked = ok(mail(http, "GET", path, null), 200);
            assertThat(marked.path("unread").asBoolean()).isFalse();
            assertThat(marked.path("flagged").asBoolean()).isTrue();
            RuntimeIT.assertProblem(mail(http, "PATCH", path, "{\"read\":true}"), 400, "bad-request");
        }
        Map<String, Object> graphMessage = providers.graph.messagesIn(msUser, "inbox").get(0);
        assertThat(graphMessage).containsEntry("isRead", true);
        assertThat(String.valueOf(graphMessage.get("flag"))).contains("flagged");
        assertThat(labels(gUser, gmailId)).contains("STARRED").doesNotContain("UNREAD");

        assertThat(mail(http, "POST", ms + "/messages/" + graphId + "/move", "{\"folder\":\"archive\"}").status()).isEqualTo(204);
        assertThat(providers.graph.messagesIn(msUser, "archive")).extracting(m -> m.get("id")).containsExactly(graphId);
        assertThat(ok(mail(http, "GET", ms + "/messages/" + graphId, null), 200).path("id").asText()).isEqualTo(graphId);
        assertThat(mail(http, "POST", google + "/messages/" + gmailId + "/move", "{\"folder\":\"" + customers + "\"}").status()).isEqualTo(204);
        assertThat(labels(gUser, gmailId)).contains(customers).doesNotContain("INBOX");
        RuntimeIT.assertProblem(mail(http, "POST", google + "/messages/" + gmailId + "/move", "{\"folder\":\"Label_404\"}"), 422, "validation");

        assertThat(mail(http, "DELETE", ms + "/messages/" + graphId, null).status()).isEqualTo(204);
        assertThat(providers.graph.messagesIn(msUser, "deleteditems")).extracting(m -> m.get("id")).containsExactly(graphId);
        assertThat(mail(http, "DELETE", google + "/messages/" + gmailId, null).status()).isEqualTo(204);
        assertThat(labels(gUser, gmailId)).contains("TRASH");
        assertThat(all(http, google + "/messages", 10)).as("trash is left out of lists").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> labels(String user, String id) {
        return providers.gmail.messages(user).stream().filter(m -> m.get("id").equals(id)).findFirst().map(m -> (List<Object>) m.get("labelIds"))
                .orElseThrow();
    }

    /**
     * The calendar journey on one provider: an event with an online meeting created in Berlin
     * time, listed in its range with its own offset and zone, read, shown busy, deleted.
     */
    private static void calendarJourney(Http http, String account, String expectedMeetingHost) {
        JsonNode calendars = ok(calendar(http, "GET", account + "/calendars", null), 200).path("items");
        assertThat(calendars.size()).isGreaterThanOrEqualTo(1);
        assertThat(calendars.get(0).path("primary").asBoolean()).isTrue();

        JsonNode created = ok(calendar(http, "POST", account + "/events", "{\"subject\":\"Demo\",\"body\":\"<p>Agenda</p>\","
                + "\"start\":\"2026-12-03T15:00:00+01:00\",\"end\":\"2026-12-03T16:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                + "\"location\":\"Room 1\",\"attendees\":[{\"name\":\"Ann\",\"address\":\"ann@customer.example\"}],\"onlineMeeting\":true}"),
                201);
        String id = created.path("id").asText();
        assertThat(created.path("onlineMeetingUrl").asText()).startsWith(expectedMeetingHost);
        assertThat(created.path("start").asText()).isEqualTo("2026-12-03T15:00+01:00");
        assertThat(created.path("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(created.path("attendees").get(0).path("address").asText()).isEqualTo("ann@customer.example");

        JsonNode listed = ok(calendar(http, "GET", account + "/events?start=2026-12-03T00:00:00Z&end=2026-12-04T00:00:00Z", null), 200);
        assertThat(listed.path("items")).hasSize(1);
        JsonNode event = listed.path("items").get(0);
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("start").asText()).isEqualTo("2026-12-03T15:00+01:00");
        assertThat(event.path("end").asText()).isEqualTo("2026-12-03T16:00+01:00");
        assertThat(event.path("subject").asText()).isEqualTo("Demo");
        assertThat(event.path("location").asText()).isEqualTo("Room 1");
        assertThat(ok(calendar(http, "GET", account + "/events?start=2026-12-04T00:00:00Z&end=2026-12-05T00:00:00Z", null), 200)
                .path("items")).isEmpty();
        assertThat(ok(calendar(http, "GET", account + "/events/" + id, null), 200).path("subject").asText()).isEqualTo("Demo");

        JsonNode busy = ok(calendar(http, "POST", account + "/freebusy", "{\"start\":\"2026-12-03T08:00:00Z\","
                + "\"end\":\"2026-12-03T18:00:00Z\"}"), 200).path("busy");
        assertThat(busy).hasSize(1);
        assertThat(busy.get(0).path("start").asText()).isEqualTo("2026-12-03T14:00:00Z");
        assertThat(busy.get(0).path("end").asText()).isEqualTo("2026-12-03T15:00:00Z");

        assertThat(calendar(http, "DELETE", account + "/events/" + id, null).status()).isEqualTo(204);
        assertThat(ok(calendar(http, "GET", account + "/events?start=2026-12-03T00:00:00Z&end=2026-12-04T00:00:00Z", null), 200)
                .path("items")).isEmpty();
        RuntimeIT.assertProblem(calendar(http, "GET", account + "/events?start=2026-12-03T00:00:00Z", null), 400, "bad-request");
        RuntimeIT.assertProblem(calendar(http, "POST", account + "/events", "{\"subject\":\"x\",\"start\":\"2026-12-03T15:00:00+01:00\","
                + "\"end\":\"2026-12-03T14:00:00+01:00\"}"), 400, "bad-request");
    }

    @Test
    public void aMicrosoftCalendarEventWithATeamsMeetingIsCreatedListedBusyAndDeleted() throws Exception {
        Http http = setUp();
        String user = "cal-" + UUID.randomUUID().toString().substring(0, 8);
        String account = providers.linkMicrosoft(http, user);
        calendarJourney(http, account, "https://teams.microsoft.com/l/meetup-join/");
        assertThat(providers.graphCalendar.events(user)).isEmpty();
    }

    @Test
    public void aGoogleCalendarEventWithAMeetIsCreatedListedBusyAndDeleted() throws Exception {
        Http http = setUp();
        String user = "cal-" + UUID.randomUUID().toString().substring(0, 8);
        String account = providers.linkGoogle(http, user);
        calendarJourney(http, account, "https://meet.google.com/");
        Map<String, Object> held = providers.googleCalendar.events(user).get(0);
        assertThat(held).containsEntry("status", "cancelled");
        assertThat(String.valueOf(held.get("start"))).contains("timeZone=Europe/Berlin");
    }

    @Test
    public void eventsAreChangedAndInvitationsAnsweredOnBothProviders() throws Exception {
        Http http = setUp();
        String msUser = "resp-" + UUID.randomUUID().toString().substring(0, 8);
        String gUser = "resp-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.parse("2026-12-08T09:00:00Z");
        String graphInvite = providers.graphCalendar.invite(msUser, "boss@customer.example", "Review", start, start.plusSeconds(1800));
        String googleInvite = providers.googleCalendar.invite(gUser, "boss@customer.example", "Review", start, start.plusSeconds(1800));
        String ms = providers.linkMicrosoft(http, msUser);
        String google = providers.linkGoogle(http, gUser);

        for (String account : List.of(ms, google)) {
            JsonNode created = ok(calendar(http, "POST", account + "/events", "{\"subject\":\"Draft\",\"start\":\"2026-12-09T10:00:00+01:00\","
                    + "\"end\":\"2026-12-09T11:00:00+01:00\",\"timeZone\":\"Europe/Berlin\"}"), 201);
            JsonNode changed = ok(calendar(http, "PATCH", account + "/events/" + created.path("id").asText(), "{\"subject\":\"Final\","
                    + "\"start\":\"2026-12-09T17:00:00+01:00\",\"end\":\"2026-12-09T18:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                    + "\"attendees\":[\"ann@customer.example\"]}"), 200);
            assertThat(changed.path("subject").asText()).isEqualTo("Final");
            assertThat(changed.path("start").asText()).isEqualTo("2026-12-09T17:00+01:00");
            assertThat(changed.path("attendees").get(0).path("address").asText()).isEqualTo("ann@customer.example");
            RuntimeIT.assertProblem(calendar(http, "PATCH", account + "/events/" + created.path("id").asText(), "{\"colour\":\"red\"}"), 400,
                    "bad-request");
            RuntimeIT.assertProblem(calendar(http, "PATCH", account + "/events/" + created.path("id").asText(),
                    "{\"start\":\"2026-12-09T17:00:00+01:00\"}"), 400, "bad-request");
        }

        assertThat(calendar(http, "POST", ms + "/events/" + graphInvite + "/respond", "{\"response\":\"accepted\",\"comment\":\"See you\"}")
                .status()).isEqualTo(204);
        assertThat(String.valueOf(providers.graphCalendar.events(msUser).stream().filter(e -> e.get("id").equals(graphInvite)).findFirst().orElseThrow()
                .get("responseStatus"))).contains("accepted");
        assertThat(calendar(http, "POST", google + "/events/" + googleInvite + "/respond", "{\"response\":\"tentative\"}").status())
                .isEqualTo(204);
        assertThat(String.valueOf(providers.googleCalendar.events(gUser).stream().filter(e -> e.get("id").equals(googleInvite)).findFirst().orElseThrow()
                .get("attendees"))).contains("self=true").contains("responseStatus=tentative");
        String own = ok(calendar(http, "GET", ms + "/events?start=2026-12-09T00:00:00Z&end=2026-12-10T00:00:00Z", null), 200).path("items").get(0)
                .path("id").asText();
        RuntimeIT.assertProblem(calendar(http, "POST", ms + "/events/" + own + "/respond", "{\"response\":\"accepted\"}"), 422, "validation");
        RuntimeIT.assertProblem(calendar(http, "POST", ms + "/events/" + graphInvite + "/respond", "{\"response\":\"maybe\"}"), 400,
                "bad-request");
    }

    @Test
    public void draftsAreSavedChangedSentInTheirThreadAndDiscarded() throws Exception {
        Http http = setUp();
        String msUser = "draft-" + UUID.randomUUID().toString().substring(0, 8);
        String gUser = "draft-" + UUID.randomUUID().toString().substring(0, 8);
        String graphOriginal = providers.graph.deliver(msUser, "ann@customer.example", "Pricing", "<p>How much?</p>", Instant.now());
        String gmailOriginal = providers.gmail.deliver(gUser, "ann@customer.example", "Pricing", "How much?", null, Instant.now());
        String ms = providers.linkMicrosoft(http, msUser);
        String google = providers.linkGoogle(http, gUser);

        for (String[] target : new String[][] {{ms, graphOriginal}, {google, gmailOriginal}}) {
            String account = target[0];
            JsonNode first = ok(mail(http, "POST", account + "/drafts", "{\"subject\":\"Offer\",\"text\":\"Draft 1\"}"), 201);
            String id = first.path("id").asText();
            JsonNode second = ok(mail(http, "PUT", account + "/drafts/" + id, "{\"to\":[\"cat@customer.example\"],\"subject\":\"Offer\","
                    + "\"text\":\"Draft 2\"}"), 200);
            assertThat(second.path("id").asText()).as("the draft keeps its id").isEqualTo(id);
            ok(mail(http, "POST", account + "/drafts/" + id + "/send", null), 202);

            JsonNode reply = ok(mail(http, "POST", account + "/drafts", "{\"inReplyTo\":\"" + target[1] + "\",\"text\":\"It is 42.\"}"), 201);
            JsonNode replied = ok(mail(http, "POST", account + "/drafts/" + reply.path("id").asText() + "/send", null), 202);
            assertThat(replied.path("threadId").asText()).isNotBlank();

            String throwaway = ok(mail(http, "POST", account + "/drafts", "{\"subject\":\"Throwaway\"}"), 201).path("id").asText();
            assertThat(mail(http, "DELETE", account + "/drafts/" + throwaway, null).status()).isEqualTo(204);
            RuntimeIT.assertProblem(mail(http, "DELETE", account + "/drafts/" + throwaway, null), 404, "not-found");
        }

        List<Map<String, Object>> graphSent = providers.graph.messagesIn(msUser, "sentitems");
        Map<String, Object> offer = graphSent.stream().filter(m -> "Offer".equals(m.get("subject"))).findFirst().orElseThrow();
        assertThat(String.valueOf(offer.get("toRecipients"))).contains("cat@customer.example");
        assertThat(String.valueOf(offer.get("body"))).contains("Draft 2");
        Map<String, Object> graphReply = graphSent.stream().filter(m -> "RE: Pricing".equals(m.get("subject"))).findFirst().orElseThrow();
        Object conversation = providers.graph.messagesIn(msUser, "inbox").get(0).get("conversationId");
        assertThat(graphReply.get("conversationId")).isEqualTo(conversation);
        assertThat(String.valueOf(graphReply.get("toRecipients"))).contains("ann@customer.example");
        assertThat(providers.graph.messagesIn(msUser, "drafts")).as("no draft left").isEmpty();

        List<Map<String, Object>> gmailAll = providers.gmail.messages(gUser);
        Map<String, Object> gmailOffer = gmailAll.stream().filter(m -> "Offer".equals(((Map<?, ?>) m.get("headers")).get("Subject")))
                .findFirst().orElseThrow();
        assertThat(String.valueOf(gmailOffer.get("labelIds"))).contains("SENT").doesNotContain("DRAFT");
        assertThat(gmailOffer.get("text")).isEqualTo("Draft 2");
        Map<String, Object> gmailReply = gmailAll.stream().filter(m -> "Re: Pricing".equals(((Map<?, ?>) m.get("headers")).get("Subject")))
                .findFirst().orElseThrow();
        assertThat(gmailReply.get("threadId")).as("the reply draft, sent, joined the thread").isEqualTo(gmailOriginal);
        assertThat(gmailAll.stream().filter(m -> ((List<?>) m.get("labelIds")).contains("DRAFT"))).as("no draft left").isEmpty();
    }

    @Test
    public void aMessageIsForwardedWithANoteInItsThreadOnBothProviders() throws Exception {
        Http http = setUp();
        String msUser = "fwd-" + UUID.randomUUID().toString().substring(0, 8);
        String gUser = "fwd-" + UUID.randomUUID().toString().substring(0, 8);
        String graphOriginal = providers.graph.deliver(msUser, "ann@customer.example", "Contract", "<p>Signed copy</p>", Instant.now());
        String gmailOriginal = providers.gmail.deliver(gUser, "ann@customer.example", "Contract", "Signed copy", null, Instant.now());
        String ms = providers.linkMicrosoft(http, msUser);
        String google = providers.linkGoogle(http, gUser);
        String note = "{\"to\":[\"legal@company.example\"],\"text\":\"FYI\"}";

        JsonNode graphForward = ok(mail(http, "POST", ms + "/messages/" + graphOriginal + "/forward", note), 202);
        Map<String, Object> graphSent = providers.graph.messagesIn(msUser, "sentitems").get(0);
        assertThat(graphSent).containsEntry("subject", "FW: Contract");
        assertThat(graphSent.get("conversationId")).isEqualTo(graphForward.path("threadId").asText())
                .isEqualTo(providers.graph.messagesIn(msUser, "inbox").get(0).get("conversationId"));
        assertThat(String.valueOf(graphSent.get("toRecipients"))).contains("legal@company.example");
        assertThat(String.valueOf(graphSent.get("body"))).contains("FYI").contains("Signed copy");

        JsonNode gmailForward = ok(mail(http, "POST", google + "/messages/" + gmailOriginal + "/forward", note), 202);
        Map<String, Object> gmailSent = providers.gmail.messages(gUser).stream().filter(m -> m.get("id").equals(gmailForward.path("id").asText()))
                .findFirst().orElseThrow();
        assertThat(gmailSent.get("threadId")).as("the forward joined the original's thread").isEqualTo(gmailOriginal);
        assertThat(((Map<?, ?>) gmailSent.get("headers")).get("Subject")).isEqualTo("Fwd: Contract");
        assertThat(String.valueOf(((Map<?, ?>) gmailSent.get("headers")).get("To"))).isEqualTo("legal@company.example");
        assertThat(String.valueOf(gmailSent.get("text"))).startsWith("FYI").contains("Forwarded message").contains("Signed copy");
        RuntimeIT.assertProblem(mail(http, "POST", google + "/messages/" + gmailOriginal + "/forward", "{\"text\":\"no one\"}"), 400,
                "bad-request");
    }

    /** Graph refuses a fifth request at once for one mailbox: twelve parallel reads all succeed, never more than four at the fake. */
    @Test
    public void aMicrosoftMailboxIsNeverAskedMoreThanFourThingsAtOnce() throws Exception {
        Http http = setUp();
        String user = "busy-" + UUID.randomUUID().toString().substring(0, 8);
        String id = providers.graph.deliver(user, "ann@customer.example", "Busy", "<p>x</p>", Instant.now());
        String account = providers.linkMicrosoft(http, user);
        providers.graph.mailboxLatency(java.time.Duration.ofMillis(300));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> mail(http, "GET", account + "/messages/" + id, null)));
            }
            for (java.util.concurrent.Future<Http.Answer> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().toString()).isEqualTo(200);
            }
            assertThat(providers.graph.mostAtOnce(user)).as("calls at once at Graph").isBetween(2, 4);
        } finally {
            providers.graph.mailboxLatency(java.time.Duration.ZERO);
            pool.shutdownNow();
        }
    }

    @Test
    public void refusalsAreStableProblems() throws Exception {
        Http http = setUp();
        String ms = providers.linkMicrosoft(http, "refusals-" + UUID.randomUUID().toString().substring(0, 8));
        String google = providers.linkGoogle(http, "refusals-" + UUID.randomUUID().toString().substring(0, 8));
        RuntimeIT.assertProblem(mail(http, "GET", ms + "/messages/AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AunknownAAA=", null), 404, "not-found");
        RuntimeIT.assertProblem(mail(http, "GET", google + "/messages/18c2f0e1ffffffff", null), 404, "not-found");

        providers.graph.failNext(1, FakeResponse.json(429, "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"Application is over "
                + "its MailboxConcurrency limit.\"}}").withHeader("Retry-After", "7"));
        Http.Answer throttled = mail(http, "GET", ms + "/messages", null);
        RuntimeIT.assertProblem(throttled, 429, "rate-limited");
        assertThat(throttled.header("Retry-After")).isEqualTo("7");
        providers.gmail.failNext(1, FakeResponse.json(403, "{\"error\":{\"code\":403,\"message\":\"User-rate limit exceeded\",\"errors\":"
                + "[{\"message\":\"User-rate limit exceeded\",\"domain\":\"usageLimits\",\"reason\":\"userRateLimitExceeded\"}]}}"));
        RuntimeIT.assertProblem(mail(http, "GET", google + "/folders", null), 429, "rate-limited");
        RuntimeIT.assertProblem(mail(http, "GET", google + "/messages?folder=archive", null), 404, "not-supported-by-connector");
        RuntimeIT.assertProblem(mail(http, "GET", ms + "/messages?q=pricing&unread=true", null), 422, "validation");

        RuntimeIT.assertProblem(mail(http, "POST", ms + "/messages", "{\"subject\":\"x\",\"text\":\"y\"}"), 400, "bad-request");
        RuntimeIT.assertProblem(mail(http, "POST", ms + "/messages", "{\"to\":[\"not an address\"],\"text\":\"y\"}"), 400, "bad-request");
        RuntimeIT.assertProblem(mail(http, "POST", ms + "/messages", "{\"to\":[\"a@b.example\"],\"subject\":\"a\\r\\nBcc: x@y\",\"text\":\"y\"}"),
                400, "bad-request");
        RuntimeIT.assertProblem(mail(http, "POST", ms + "/messages", "{\"to\":[\"a@b.example\"]}"), 400, "bad-request");
        RuntimeIT.assertProblem(mail(http, "GET", ms + "/messages?after=yesterday", null), 400, "bad-request");
        RuntimeIT.assertProblem(mail(http, "GET", "acc_doesnotexist/folders", null), 404, "not-found");
    }
}
