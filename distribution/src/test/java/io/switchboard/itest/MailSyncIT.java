package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.testkit.calendar.FakeGoogleCalendar;
import io.switchboard.testkit.calendar.FakeGraphCalendar;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.webhooks.FakeWebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 16, offline sync: a linked mailbox's index kept by background runs (Graph delta per
 * folder, Gmail history) equals the fake's mailbox after a full sync, after random changes
 * (new, moved, read, flagged, relabelled, trashed, deleted for good), and after the provider
 * forgot the sync cursor (a full pass that neither loses nor doubles a message); the developer
 * reads it by {@code updatedSince}; changes after the first sync arrive as signed webhook
 * events; a 429 storm pauses one account while another keeps syncing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailSyncIT extends ConnectorTestSupport {
    private static final List<String> MAIL_EVENTS = List.of("mail.message.created", "mail.message.updated", "mail.message.deleted");
    private static final List<String> CALENDAR_EVENTS = List.of("calendar.event.created", "calendar.event.updated", "calendar.event.deleted");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static MailboxProviders providers;
    /** Graph's mailbox: the 10,000 messages, and 500 random changes after the first sync. */
    private static final int MESSAGES = 10_000;
    private static final int CHANGES = 500;

    @Override
    protected Map<String, String> configFiles() {
        Map<String, String> files = new LinkedHashMap<>(super.configFiles());
        files.put("switchboard.jobs.cfg", "poll.interval.ms=200\n");
        files.put("switchboard.webhooks.cfg", "allow.http=true\nretry.first.delay.ms=200\nretry.max.delay.ms=400\n");
        return files;
    }

    private Http setUp() throws Exception {
        Http http = awaitHealthy();
        providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        return http;
    }

    private static Http.Answer sync(Http http, String method, String account, String path, String body) {
        return LinkingIT.developer(http, method, providers.app.app(), providers.app.secret(), "accounts/" + account + "/sync" + path, body);
    }

    /** The mail index as the developer reads it: every change from the start, {@code limit} at a time. */
    private static Map<String, JsonNode> index(Http http, String account) {
        return index(http, account, "messages");
    }

    /** An index ({@code messages}, {@code events}) as the developer reads it. */
    private static Map<String, JsonNode> index(Http http, String account, String kind) {
        return index(http, providers.app, account, kind, null);
    }

    /**
     * An index ({@code messages}, {@code events}) of one of {@code app}'s accounts as the developer
     * reads it, every change from the start; {@code records}, when given, counts each record read
     * (so a caller sees a record the index holds twice).
     */
    static Map<String, JsonNode> index(Http http, ConnectorTestSupport.AppSession app, String account, String kind,
                                       Map<String, Integer> records) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String token = "";
        for (int pages = 0; ; pages++) {
            Http.Answer a = LinkingIT.developer(http, "GET", app.app(), app.secret(), "accounts/" + account + "/sync/" + kind + (kind.contains("?") ? "&" : "?") + "limit=997"
                    + (token.isEmpty() ? "" : "&updatedSince=" + token), null);
            assertThat(a.status()).as(a.toString()).isEqualTo(200);
            JsonNode page = a.json();
            page.path("changed").forEach(m -> {
                out.put(m.path("id").asText(), m);
                if (records != null) {
                    records.merge(m.path("id").asText(), 1, Integer::sum);
                }
            });
            page.path("deleted").forEach(id -> out.remove(id.asText()));
            token = page.path("next").asText();
            if (!page.path("more").asBoolean()) {
                return out;
            }
            assertThat(pages).isLessThan(1000);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(100);
        }
    }

    private static void startSync(Http http, String account) throws InterruptedException {
        Http.Answer on = sync(http, "PUT", account, "", "{}");
        assertThat(on.status()).as(on.toString()).isEqualTo(201);
        assertThat(on.json().path("intervalSeconds").asInt()).isEqualTo(300);
        await("the first full sync", Duration.ofSeconds(120), () -> sync(http, "GET", account, "", null).json().path("ready").asBoolean());
    }

    private static FakeWebhookReceiver receiver(Http http) {
        return receiver(http, MAIL_EVENTS);
    }

    private static FakeWebhookReceiver receiver(Http http, List<String> types) {
        FakeWebhookReceiver receiver = new FakeWebhookReceiver();
        Http.Answer created = LinkingIT.developer(http, "POST", providers.app.app(), providers.app.secret(), "webhooks",
                "{\"url\":\"" + receiver.url() + "\",\"events\":[\"" + String.join("\",\"", types) + "\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return receiver;
    }

    /** The message ids the receiver was told of, by event type, for this account. */
    private static Map<String, Set<String>> told(FakeWebhookReceiver receiver, String account) {
        return told(receiver, account, "messages");
    }

    /** The ids ({@code messages}, {@code events}) the receiver was told of, by event type, for this account. */
    static Map<String, Set<String>> told(FakeWebhookReceiver receiver, String account, String kind) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        MAIL_EVENTS.forEach(t -> out.put(t, new HashSet<>()));
        CALENDAR_EVENTS.forEach(t -> out.put(t, new HashSet<>()));
        for (FakeRequest delivery : receiver.deliveries()) {
            JsonNode event;
            try {
                event = JSON.readTree(delivery.bodyText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (event.path("data").path("account").asText().equals(account)) {
                event.path("data").path(kind).forEach(id -> out.computeIfAbsent(event.path("type").asText(), t -> new HashSet<>()).add(id.asText()));
            }
        }
        return out;
    }

    /** Whether the index holds exactly the fake's Graph mailbox: the same ids, folders, read and flag states, subjects. */
    static boolean equalsGraph(Map<String, JsonNode> index, Map<String, Map<String, Object>> fake) {
        if (!index.keySet().equals(fake.keySet())) {
            return false;
        }
        return fake.entrySet().stream().allMatch(e -> {
            JsonNode m = index.get(e.getKey());
            return m.path("folderIds").size() == 1 && m.path("folderIds").get(0).asText().equals(e.getValue().get("folderId"))
                    && m.path("unread").asBoolean() == !(Boolean) e.getValue().get("read")
                    && m.path("flagged").asBoolean() == (Boolean) e.getValue().get("flagged")
                    && m.path("subject").asText().equals(e.getValue().get("subject"));
        });
    }

    @Test
    public void aMicrosoftMailboxIndexFollowsEveryChangeAndSurvivesAForgottenDeltaToken() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String user = "sync-ms-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(16);
        Instant start = Instant.parse("2026-11-01T08:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(graph.deliver(user, "sender" + i % 17 + "@customer.example", "Message " + i, "<p>Body " + i + "</p>", start.plusSeconds(60L * i)));
        }
        for (int i = 0; i < MESSAGES / 6; i++) {
            graph.move(user, ids.get(i), i % 2 == 0 ? "archive" : "deleteditems");
            graph.mark(user, ids.get(MESSAGES / 2 + i), true, i % 3 == 0);
        }
        graph.attach(user, ids.get(5), "offer.pdf", "application/pdf", 12_345);
        String account = providers.linkMicrosoft(http, user);
        try (FakeWebhookReceiver receiver = receiver(http)) {
            startSync(http, account);
            Map<String, JsonNode> first = index(http, account);
            assertThat(equalsGraph(first, graph.state(user))).as("the first full sync").isTrue();
            assertAttachment(first.get(ids.get(5)), "offer.pdf", 12_345);
            assertThat(first.get(ids.get(6)).path("attachments").size()).isZero();
            JsonNode status = sync(http, "GET", account, "", null).json();
            assertThat(status.path("messages").asLong()).isEqualTo(MESSAGES);
            assertThat(status.path("lastError").isNull()).isTrue();

            List<String> delivered = new ArrayList<>();
            List<String> destroyed = new ArrayList<>();
            List<String> folders = List.of("inbox", "archive", "deleteditems", "junkemail");
            List<String> live = new ArrayList<>(graph.state(user).keySet());
            for (int i = 0; i < CHANGES; i++) {
                String target = live.get(random.nextInt(live.size()));
                switch (random.nextInt(4)) {
                    case 0 -> {
                        delivered.add(graph.deliver(user, "new@customer.example", "New " + i, "<p>New</p>", Instant.now()));
                        live.add(delivered.get(delivered.size() - 1));
                    }
                    case 1 -> graph.move(user, target, folders.get(random.nextInt(folders.size())));
                    case 2 -> graph.mark(user, target, random.nextBoolean(), random.nextBoolean());
                    default -> {
                        graph.destroy(user, target);
                        live.remove(target);
                        if (!delivered.remove(target)) { // one that came and went between two runs is news to nobody
                            destroyed.add(target);
                        }
                    }
                }
            }
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the index to follow " + CHANGES + " changes", Duration.ofSeconds(120), () -> equalsGraph(index(http, account), graph.state(user)));
            await("the change events", Duration.ofSeconds(30), () -> told(receiver, account).get("mail.message.created").containsAll(delivered)
                    && told(receiver, account).get("mail.message.deleted").containsAll(destroyed));
            assertThat(told(receiver, account).get("mail.message.created")).as("the first sync's messages were not announced")
                    .doesNotContain(ids.get(MESSAGES - 1));

            // The service forgets the delta tokens: the next run reads every folder again, losing and doubling nothing.
            graph.forgetDeltaTokens(user);
            String late = graph.deliver(user, "late@customer.example", "Late", "<p>Late</p>", Instant.now());
            Map<String, JsonNode> before = index(http, account);
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the full pass after 410", Duration.ofSeconds(60), () -> equalsGraph(index(http, account), graph.state(user)));
            assertThat(index(http, account).keySet()).contains(late).containsAll(before.keySet());
            assertThat(sync(http, "GET", account, "", null).json().path("messages").asLong()).isEqualTo(graph.state(user).size());
        }
    }

    /** The index keeps an attachment's name, type and size (never its content, nor the bodies). */
    private static void assertAttachment(JsonNode message, String name, long size) {
        assertThat(message.path("attachments").size()).as(message.toString()).isEqualTo(1);
        assertThat(message.path("attachments").get(0).path("name").asText()).isEqualTo(name);
        assertThat(message.path("attachments").get(0).path("contentType").asText()).isEqualTo("application/pdf");
        assertThat(message.path("attachments").get(0).path("size").asLong()).isEqualTo(size);
        assertThat(message.has("htmlBody") || message.has("textBody")).as("no bodies in the index").isFalse();
    }

    /** Whether the index holds exactly the fake's Gmail mailbox: the same ids, labels, unread and starred states. */
    static boolean equalsGmail(Map<String, JsonNode> index, List<Map<String, Object>> fake) {
        if (index.size() != fake.size()) {
            return false;
        }
        return fake.stream().allMatch(f -> {
            JsonNode m = index.get(String.valueOf(f.get("id")));
            if (m == null) {
                return false;
            }
            Set<String> labels = new HashSet<>();
            m.path("folderIds").forEach(l -> labels.add(l.asText()));
            List<?> fakeLabels = (List<?>) f.get("labelIds");
            return labels.equals(new HashSet<>(fakeLabels)) && m.path("unread").asBoolean() == fakeLabels.contains("UNREAD")
                    && m.path("flagged").asBoolean() == fakeLabels.contains("STARRED");
        });
    }

    @Test
    public void aGmailIndexFollowsEveryChangeAndSurvivesAForgottenHistoryId() throws Exception {
        Http http = setUp();
        FakeGmail gmail = providers.gmail;
        String user = "sync-g-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(17);
        String customers = gmail.label(user, "Customers");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(gmail.deliver(user, "sender" + i % 13 + "@customer.example", "Message " + i, "Body " + i, null,
                    Instant.parse("2026-11-01T08:00:00Z").plusSeconds(60L * i)));
        }
        for (int i = 0; i < 30; i++) {
            gmail.labelMessage(user, ids.get(i), "TRASH", true);
            gmail.labelMessage(user, ids.get(50 + i), "UNREAD", false);
            gmail.labelMessage(user, ids.get(100 + i), customers, true);
        }
        gmail.attach(user, ids.get(5), "offer.pdf", "application/pdf", 12_345);
        String account = providers.linkGoogle(http, user);
        try (FakeWebhookReceiver receiver = receiver(http)) {
            startSync(http, account);
            Map<String, JsonNode> first = index(http, account);
            assertThat(equalsGmail(first, gmail.messages(user))).as("the first full sync, trash included").isTrue();
            assertAttachment(first.get(ids.get(5)), "offer.pdf", 12_345);
            assertThat(first.get(ids.get(6)).path("attachments").size()).isZero();

            List<String> delivered = new ArrayList<>();
            List<String> destroyed = new ArrayList<>();
            List<String> labels = List.of("UNREAD", "STARRED", "TRASH", "INBOX", customers);
            for (int i = 0; i < 100; i++) {
                List<Map<String, Object>> live = gmail.messages(user);
                String target = String.valueOf(live.get(random.nextInt(live.size())).get("id"));
                switch (random.nextInt(4)) {
                    case 0 -> delivered.add(gmail.deliver(user, "new@customer.example", "New " + i, "New", null, Instant.now()));
                    case 1, 2 -> gmail.labelMessage(user, target, labels.get(random.nextInt(labels.size())), random.nextBoolean());
                    default -> {
                        gmail.destroy(user, target);
                        if (!delivered.remove(target)) {
                            destroyed.add(target);
                        }
                    }
                }
            }
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the index to follow 100 changes", Duration.ofSeconds(60), () -> equalsGmail(index(http, account), gmail.messages(user)));
            await("the change events", Duration.ofSeconds(30), () -> told(receiver, account).get("mail.message.created").containsAll(delivered)
                    && told(receiver, account).get("mail.message.deleted").containsAll(destroyed));

            gmail.forgetHistory(user);
            gmail.labelMessage(user, ids.get(200), "STARRED", true);
            String late = gmail.deliver(user, "late@customer.example", "Late", "Late", null, Instant.now());
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the full pass after 404", Duration.ofSeconds(60), () -> equalsGmail(index(http, account), gmail.messages(user)));
            assertThat(index(http, account)).containsKey(late);
        }
    }

    /**
     * Calendars sync their window (30 days back, 180 ahead) on both providers: Graph's calendarView
     * delta and Google's sync tokens; events outside it stay out; renamed, deleted and new events
     * follow, with change events; a forgotten token (Graph 410, Google 410 fullSyncRequired) means a
     * full pass with the same end state.
     */
    @Test
    public void calendarsSyncTheirWindowOnBothProvidersWithTheirChanges() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        FakeGraphCalendar graphCalendar = providers.graphCalendar;
        FakeGoogleCalendar googleCalendar = providers.googleCalendar;
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (String provider : List.of("microsoft", "google")) {
            boolean ms = provider.equals("microsoft");
            String user = "cal-" + provider + "-" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, String> expected = new LinkedHashMap<>(); // id to title, the window's events
            for (int i = 0; i < 12; i++) {
                Instant start = now.plus(Duration.ofDays(i * 10L - 20));
                String title = "Meeting " + i;
                String id = ms ? graphCalendar.invite(user, "boss@customer.example", title, start, start.plusSeconds(1800))
                        : googleCalendar.invite(user, "boss@customer.example", title, start, start.plusSeconds(1800));
                expected.put(id, title);
            }
            for (long days : new long[] {-200, 400}) { // outside the window
                Instant start = now.plus(Duration.ofDays(days));
                if (ms) {
                    graphCalendar.invite(user, "boss@customer.example", "Far away", start, start.plusSeconds(1800));
                } else {
                    googleCalendar.invite(user, "boss@customer.example", "Far away", start, start.plusSeconds(1800));
                }
            }
            String account = ms ? providers.linkMicrosoft(http, user) : providers.linkGoogle(http, user);
            try (FakeWebhookReceiver receiver = receiver(http, CALENDAR_EVENTS)) {
                startSync(http, account);
                assertThat(titles(index(http, account, "events"))).as(provider + ": the window's events").isEqualTo(expected);
                assertThat(sync(http, "GET", account, "", null).json().path("events").asLong()).isEqualTo(12);

                List<String> ids = new ArrayList<>(expected.keySet());
                for (int i = 0; i < 3; i++) {
                    if (ms) {
                        graphCalendar.renameEvent(user, ids.get(i), "Renamed " + i);
                        graphCalendar.deleteEvent(user, ids.get(5 + i));
                    } else {
                        googleCalendar.renameEvent(user, ids.get(i), "Renamed " + i);
                        googleCalendar.cancelEvent(user, ids.get(5 + i));
                    }
                    expected.put(ids.get(i), "Renamed " + i);
                    expected.remove(ids.get(5 + i));
                }
                Instant start = now.plus(Duration.ofDays(3));
                String added = ms ? graphCalendar.invite(user, "boss@customer.example", "New", start, start.plusSeconds(600))
                        : googleCalendar.invite(user, "boss@customer.example", "New", start, start.plusSeconds(600));
                expected.put(added, "New");
                assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
                await(provider + ": the calendar's changes", Duration.ofSeconds(60), () -> titles(index(http, account, "events")).equals(expected));
                await(provider + ": the change events", Duration.ofSeconds(30), () -> {
                    Map<String, Set<String>> told = told(receiver, account, "events");
                    return told.get("calendar.event.created").contains(added) && told.get("calendar.event.updated").contains(ids.get(0))
                            && told.get("calendar.event.deleted").contains(ids.get(5));
                });

                if (ms) {
                    graph.forgetDeltaTokens(user);
                    graphCalendar.renameEvent(user, ids.get(3), "After the reset");
                } else {
                    googleCalendar.forgetSyncTokens(user);
                    googleCalendar.renameEvent(user, ids.get(3), "After the reset");
                }
                expected.put(ids.get(3), "After the reset");
                assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
                await(provider + ": the full pass after 410", Duration.ofSeconds(60), () -> titles(index(http, account, "events")).equals(expected));
            }
        }
    }

    private static Map<String, String> titles(Map<String, JsonNode> events) {
        Map<String, String> out = new LinkedHashMap<>();
        events.forEach((id, e) -> out.put(id, e.path("subject").asText()));
        return out;
    }

    /**
     * A change that arrives while a run is under way (and may already have read past it) is not
     * left for the next interval: the wake-up during the run schedules another one after it.
     */
    @Test
    public void aWakeUpDuringARunIsNotLost() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String user = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        graph.deliver(user, "a@customer.example", "First", "<p>1</p>", Instant.now());
        String account = providers.linkMicrosoft(http, user);
        startSync(http, account);
        graph.mailboxLatency(Duration.ofMillis(150)); // a run takes a few seconds now
        try {
            String second = graph.deliver(user, "b@customer.example", "Second", "<p>2</p>", Instant.now());
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the run to have read the second message", Duration.ofSeconds(30), () -> index(http, account).containsKey(second));
            String third = graph.deliver(user, "c@customer.example", "Third", "<p>3</p>", Instant.now()); // the run may still be going
            assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
            await("the third message, well before the next interval (300 s)", Duration.ofSeconds(30),
                    () -> index(http, account).containsKey(third));
        } finally {
            graph.mailboxLatency(Duration.ZERO);
        }
    }

    /**
     * Tombstones older than {@code tombstone.retention.days} (30) go; a reader whose token is
     * older than them is told (410 {@code sync-token-expired}) rather than silently missing a
     * deletion, a reader past them goes on, and a read from the start is whole.
     */
    @Test
    public void oldTombstonesGoAndAReaderBehindThemIsToldToStartAgain() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String user = "retain-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(graph.deliver(user, "a@customer.example", "M" + i, "<p>" + i + "</p>", Instant.now()));
        }
        String account = providers.linkMicrosoft(http, user);
        startSync(http, account);
        String behind = sync(http, "GET", account, "/messages?limit=1000", null).json().path("next").asText();
        graph.destroy(user, ids.get(0));
        assertThat(sync(http, "POST", account, "/run", null).status()).isEqualTo(202);
        await("the deletion", Duration.ofSeconds(30), () -> !index(http, account).containsKey(ids.get(0)));
        JsonNode deletion = sync(http, "GET", account, "/messages?updatedSince=" + behind, null).json();
        assertThat(deletion.path("deleted").toString()).contains(ids.get(0));
        String past = deletion.path("next").asText();

        javax.sql.DataSource db = service(javax.sql.DataSource.class, "(osgi.jndi.service.name=switchboard)");
        try (java.sql.Connection c = db.getConnection();
             java.sql.PreparedStatement age = c.prepareStatement("UPDATE mailbox_message SET changed_at = ? WHERE account_id = ? AND deleted = TRUE")) {
            age.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minus(Duration.ofDays(31))));
            age.setString(2, account);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }
        service(io.switchboard.core.api.jobs.Jobs.class, null).schedule(io.switchboard.core.api.jobs.JobRequest.of("mailbox.sync-retention",
                "itest-" + UUID.randomUUID()));
        await("the stale token refused", Duration.ofSeconds(30),
                () -> sync(http, "GET", account, "/messages?updatedSince=" + behind, null).status() == 410);
        Http.Answer stale = sync(http, "GET", account, "/messages?updatedSince=" + behind, null);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.json().path("type").asText()).endsWith("sync-token-expired");
        assertThat(sync(http, "GET", account, "/messages?updatedSince=" + past, null).status()).as("a reader past the tombstone").isEqualTo(200);
        JsonNode whole = sync(http, "GET", account, "/messages?limit=1000", null).json();
        assertThat(whole.path("changed").size()).isEqualTo(2);
        assertThat(whole.path("deleted").size()).as("the tombstone is gone").isZero();
    }

    /**
     * Bodies are kept only for the folders the app chose (its connector option {@code sync.bodies}),
     * sealed at rest: on both providers the chosen folder's messages come with their bodies
     * ({@code ?bodies=true}), the others without; a message moved out loses its body; a folder
     * chosen later is filled by the next run (its messages are changes again); no option, no bodies.
     */
    @Test
    public void bodiesAreKeptSealedOnlyForTheFoldersTheAppChose() throws Exception {
        Http http = setUp();
        javax.sql.DataSource db = service(javax.sql.DataSource.class, "(osgi.jndi.service.name=switchboard)");
        String msSettings = "{\"clientId\":\"ms-client\",\"clientSecret\":\"" + providers.msSecret + "\"";
        String gSettings = "{\"clientId\":\"g-client\",\"clientSecret\":\"" + providers.googleSecret + "\"";
        try {
            providers.enable(http, "microsoft", msSettings + ",\"options\":{\"sync.bodies\":\"inbox\"}}");
            providers.enable(http, "google", gSettings + ",\"options\":{\"sync.bodies\":\"inbox\"}}");
            FakeGraph graph = providers.graph;
            FakeGmail gmail = providers.gmail;
            String msUser = "bodies-ms-" + UUID.randomUUID().toString().substring(0, 6);
            String gUser = "bodies-g-" + UUID.randomUUID().toString().substring(0, 6);
            List<String> msIds = new ArrayList<>();
            List<String> gIds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                msIds.add(graph.deliver(msUser, "a@customer.example", "M" + i, "<p>Confidential offer " + i + "</p>", Instant.now()));
                gIds.add(gmail.deliver(gUser, "a@customer.example", "G" + i, "Confidential offer " + i, null, Instant.now()));
            }
            for (int i = 0; i < 4; i++) {
                graph.move(msUser, msIds.get(i), "archive");
                gmail.labelMessage(gUser, gIds.get(i), "INBOX", false);
            }
            String ms = providers.linkMicrosoft(http, msUser);
            String g = providers.linkGoogle(http, gUser);
            startSync(http, ms);
            startSync(http, g);
            for (String account : List.of(ms, g)) {
                List<String> ids = account.equals(ms) ? msIds : gIds;
                Map<String, JsonNode> withBodies = index(http, providers.app, account, "messages?bodies=true", null);
                for (int i = 0; i < 12; i++) {
                    JsonNode m = withBodies.get(ids.get(i));
                    String body = m.path("htmlBody").asText("") + m.path("textBody").asText("");
                    if (i < 4) {
                        assertThat(m.has("htmlBody") || m.has("textBody")).as("a message outside the chosen folder: " + m).isFalse();
                    } else {
                        assertThat(body).as("a message of the chosen folder").contains("Confidential offer " + i);
                    }
                }
                assertThat(index(http, account).get(ids.get(5)).has("textBody")).as("bodies only when asked for").isFalse();
                assertThat(bodyRows(db, account)).as("bodies kept").hasSize(8).allMatch(sealed -> !sealed.contains("Confidential"));
            }

            // A new master key: the bodies are sealed again with it (POST /admin/v1/vault/rewrap) and still open.
            String key = "b" + Integer.toHexString(new Random().nextInt(1 << 20));
            putNewMasterKeyFirst(http, key);
            Http.Answer rewrap = http.send(http.request("admin/v1/vault/rewrap").header("Authorization", "Bearer " + IdentityIT.ADMIN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertThat(rewrap.status()).as(rewrap.toString()).isEqualTo(200);
            assertThat(rewrap.json().path("mailBodies").asInt()).isGreaterThanOrEqualTo(16);
            assertThat(bodyRows(db, ms)).allMatch(sealed -> sealed.startsWith("v1." + key + "."));
            assertThat(index(http, providers.app, g, "messages?bodies=true", null).get(gIds.get(7)).path("textBody").asText())
                    .contains("Confidential offer 7");

            // Moved out: its body goes. Chosen later: the archive's bodies come, as changes after the reader's token.
            String before = sync(http, "GET", ms, "/messages?limit=1000", null).json().path("next").asText();
            graph.move(msUser, msIds.get(5), "archive");
            assertThat(sync(http, "POST", ms, "/run", null).status()).isEqualTo(202);
            // Graph's move is a removal from the inbox's delta and a record in the archive's: await both
            await("the moved message in the archive, its body dropped", Duration.ofSeconds(30), () -> bodyRows(db, ms).size() == 7
                    && sync(http, "GET", ms, "/messages?updatedSince=" + before, null).json().path("changed").findValuesAsText("id")
                    .contains(msIds.get(5)));
            JsonNode movedOut = sync(http, "GET", ms, "/messages?bodies=true&updatedSince=" + before, null).json().path("changed").get(0);
            assertThat(movedOut.path("id").asText()).isEqualTo(msIds.get(5));
            assertThat(movedOut.has("htmlBody")).as("a message moved out of the chosen folder: " + movedOut).isFalse();
            String moved = sync(http, "GET", ms, "/messages?limit=1000", null).json().path("next").asText();
            providers.enable(http, "microsoft", msSettings + ",\"options\":{\"sync.bodies\":\"inbox,archive\"}}");
            assertThat(sync(http, "POST", ms, "/run", null).status()).isEqualTo(202);
            await("the archive's bodies filled", Duration.ofSeconds(30), () -> bodyRows(db, ms).size() == 12);
            JsonNode filled = sync(http, "GET", ms, "/messages?bodies=true&updatedSince=" + moved, null).json();
            Set<String> archived = new HashSet<>(msIds.subList(0, 4));
            archived.add(msIds.get(5));
            Set<String> seen = new HashSet<>();
            filled.path("changed").forEach(m -> {
                seen.add(m.path("id").asText());
                assertThat(m.path("htmlBody").asText()).contains("Confidential offer");
            });
            assertThat(seen).as("the archive's messages, read again with their bodies").isEqualTo(archived);

            providers.enable(http, "microsoft", msSettings + "}");
            assertThat(sync(http, "POST", ms, "/run", null).status()).isEqualTo(202);
            await("no bodies without the option", Duration.ofSeconds(30), () -> bodyRows(db, ms).isEmpty());
            assertThat(sync(http, "DELETE", g, "", null).status()).isEqualTo(204);
            assertThat(bodyRows(db, g)).as("the sync switched off drops its bodies").isEmpty();
        } finally {
            providers.enable(http, "microsoft", msSettings + "}");
            providers.enable(http, "google", gSettings + "}");
        }
    }

    /**
     * Polling at the app's own interval: its connector option {@code sync.interval.seconds} is the
     * interval of a sync switched on without one; an explicit one wins; one below the server's
     * minimum is refused as an explicit one is.
     */
    @Test
    public void aSyncSwitchedOnWithoutAnIntervalPollsAtTheAppsOwn() throws Exception {
        Http http = setUp();
        String settings = "{\"clientId\":\"ms-client\",\"clientSecret\":\"" + providers.msSecret + "\"";
        try {
            providers.enable(http, "microsoft", settings + ",\"options\":{\"sync.interval.seconds\":\"900\"}}");
            String account = providers.linkMicrosoft(http, "interval-" + UUID.randomUUID().toString().substring(0, 8));
            Http.Answer on = sync(http, "PUT", account, "", "{}");
            assertThat(on.status()).as(on.toString()).isEqualTo(201);
            assertThat(on.json().path("intervalSeconds").asInt()).as("the app's interval").isEqualTo(900);
            assertThat(sync(http, "PUT", account, "", "{\"intervalSeconds\":600}").json().path("intervalSeconds").asInt()).isEqualTo(600);
            providers.enable(http, "microsoft", settings + ",\"options\":{\"sync.interval.seconds\":\"5\"}}");
            String other = providers.linkMicrosoft(http, "interval-" + UUID.randomUUID().toString().substring(0, 8));
            assertThat(sync(http, "PUT", other, "", "{}").status()).as("below min.interval.seconds").isEqualTo(400);
        } finally {
            providers.enable(http, "microsoft", settings + "}");
        }
    }

    /** The sealed bodies the index keeps for the account. */
    private static List<String> bodyRows(javax.sql.DataSource db, String account) {
        try (java.sql.Connection c = db.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT sealed FROM mailbox_body WHERE account_id = ?")) {
            s.setString(1, account);
            List<String> out = new ArrayList<>();
            try (java.sql.ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A run broken off in the middle of a round (here the provider's 429 on the fifth request of
     * the first full sync) resumes at the page it had reached: each page is saved with its cursor,
     * so the folder's round is not started again, and nothing is lost or doubled.
     */
    @Test
    public void aRunBrokenOffMidRoundResumesAtItsPage() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String user = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 1000; i++) {
            graph.deliver(user, "sender@customer.example", "Message " + i, "<p>" + i + "</p>", Instant.parse("2026-11-01T08:00:00Z").plusSeconds(i));
        }
        String inbox = String.valueOf(graph.state(user).values().iterator().next().get("folderId"));
        String account = providers.linkMicrosoft(http, user);
        graph.throttleAfter(user, 4, 1, 1); // folders, then the inbox's empty first page and two full ones, then 429
        startSync(http, account);
        assertThat(graph.throttledRequests(user)).isEqualTo(1);
        assertThat(equalsGraph(index(http, account), graph.state(user))).isTrue();
        long fresh = graph.requests().stream().filter(r -> java.net.URLDecoder.decode(r.path(), java.nio.charset.StandardCharsets.UTF_8).contains(inbox)
                && r.path().endsWith("/messages/delta")
                && !r.queryParams().containsKey("$skiptoken") && !r.queryParams().containsKey("$deltatoken")).count();
        assertThat(fresh).as("the inbox's round began once and went on from its saved page").isEqualTo(1);
    }

    @Test
    public void aThrottledMailboxWaitsItsRetryAfterWhileAnotherKeepsSyncing() throws Exception {
        Http http = setUp();
        FakeGraph graph = providers.graph;
        String stormy = "storm-" + UUID.randomUUID().toString().substring(0, 8);
        String calm = "calm-" + UUID.randomUUID().toString().substring(0, 8);
        graph.deliver(stormy, "a@customer.example", "One", "<p>1</p>", Instant.now());
        graph.deliver(calm, "a@customer.example", "One", "<p>1</p>", Instant.now());
        String stormyAccount = providers.linkMicrosoft(http, stormy);
        String calmAccount = providers.linkMicrosoft(http, calm);
        startSync(http, stormyAccount);
        startSync(http, calmAccount);

        graph.throttle(stormy, 1000, 30);
        graph.deliver(stormy, "b@customer.example", "Two", "<p>2</p>", Instant.now());
        String news = graph.deliver(calm, "b@customer.example", "Two", "<p>2</p>", Instant.now());
        sync(http, "POST", stormyAccount, "/run", null);
        sync(http, "POST", calmAccount, "/run", null);
        await("the calm mailbox's change", Duration.ofSeconds(30), () -> index(http, calmAccount).containsKey(news));
        await("the stormy mailbox's refusal", Duration.ofSeconds(30),
                () -> sync(http, "GET", stormyAccount, "", null).json().path("lastError").asText().startsWith("RATE_LIMITED"));
        sync(http, "POST", stormyAccount, "/run", null); // a wake-up does not cut the pause short
        Thread.sleep(3_000);
        assertThat(graph.throttledRequests(stormy)).as("the account waits its Retry-After (30 s), no tight loop").isEqualTo(1);
        assertThat(index(http, stormyAccount)).hasSize(1);
    }
}
