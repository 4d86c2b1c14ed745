package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProbeRuns;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.testkit.db.TestDatabases;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import io.switchboard.testkit.webhooks.FakeWebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "a server killed mid-sync resumes without loss or duplicates": the shipped jar on
 * PostgreSQL syncs a Microsoft 365 and a Gmail mailbox (the fakes in this JVM, Graph answering
 * slowly and Gmail at its per-user budget, so that a sync takes a while) and is killed with
 * {@code kill -9} twice: in the middle of both first full syncs, and in the middle of the run
 * that follows random changes. Started again, it takes the interrupted runs up again (db-scheduler
 * finds them dead), and each index ends equal to its fake mailbox, every message once, with a
 * webhook event for every message created and deleted after the first sync.
 */
class MailSyncCrashIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final int GRAPH_MESSAGES = 2_000;
    private static final int GMAIL_MESSAGES = 1_200;

    @TempDir
    Path tmp;

    @Test
    void killedMidSyncTheServerResumesWithoutLossOrDuplicates() throws Exception {
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Map<String, String> env = ProbeRuns.env(db, "mailcrash");
        Path home = tmp.resolve("server");
        Files.createDirectories(home.resolve("etc"));
        try (FakeEntraId entra = new FakeEntraId(); FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms-client", "ms-secret");
             FakeGraph graph = new FakeGraph(login); FakeGoogleOAuth google = new FakeGoogleOAuth("g-client", "g-secret");
             FakeGmail gmail = new FakeGmail(google); FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            configure(home, login, graph, google, gmail);
            String msUser = "crash-ms";
            String gUser = "crash-g";
            Instant start = Instant.parse("2026-11-01T08:00:00Z");
            for (int i = 0; i < GRAPH_MESSAGES; i++) {
                graph.deliver(msUser, "sender" + i % 17 + "@customer.example", "Message " + i, "<p>Body " + i + "</p>", start.plusSeconds(60L * i));
            }
            for (int i = 0; i < GMAIL_MESSAGES; i++) {
                gmail.deliver(gUser, "sender" + i % 13 + "@customer.example", "Message " + i, "Body " + i, null, start.plusSeconds(60L * i));
            }
            RunningServer server = RunningServer.start(home, env);
            try {
                Http http = server.awaitHealthy(START).http();
                login.registerRedirectUri(http.base() + "v1/connect/callback");
                google.registerRedirectUri(http.base() + "v1/connect/callback");
                ConnectorTestSupport.AppSession app = ConnectorTestSupport.awaitAppWith(http, entra, "microsoft", "ms-client", "ms-secret");
                Http.Answer enabled = LinkingIT.developer(http, "PUT", app.app(), app.secret(), "connectors/google",
                        "{\"clientId\":\"g-client\",\"clientSecret\":\"g-secret\"}");
                assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
                Http.Answer hook = LinkingIT.developer(http, "POST", app.app(), app.secret(), "webhooks", "{\"url\":\"" + receiver.url()
                        + "\",\"events\":[\"mail.message.created\",\"mail.message.updated\",\"mail.message.deleted\"]}");
                assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
                login.signedInUser(msUser);
                String ms = ConnectorTestSupport.client(http, app.session()).linkThroughDialog("microsoft",
                        login.baseUri() + "/common/oauth2/v2.0/authorize");
                google.signedInUser(gUser);
                String g = ConnectorTestSupport.client(http, app.session()).linkThroughDialog("google", google.authorizeUrl());

                // 1. Killed in the middle of both first full syncs.
                graph.mailboxLatency(Duration.ofSeconds(2));
                for (String account : List.of(ms, g)) {
                    Http.Answer on = sync(http, app, "PUT", account, "", "{\"calendar\":false}");
                    assertThat(on.status()).as(on.toString()).isEqualTo(201);
                }
                Http first = http;
                await("both first syncs under way", Duration.ofSeconds(120), () -> midSync(first, app, ms) && midSync(first, app, g));
                long msBefore = status(http, app, ms).path("messages").asLong();
                long gBefore = status(http, app, g).path("messages").asLong();
                server.kill();
                System.out.printf("killed during the first syncs: %d of %d Graph messages and %d of %d Gmail messages indexed%n",
                        msBefore, GRAPH_MESSAGES, gBefore, GMAIL_MESSAGES);
                graph.mailboxLatency(Duration.ZERO);
                server = RunningServer.start(home, env);
                http = server.awaitHealthy(START).http();
                Http second = http;
                await("both first syncs done after the restart", Duration.ofMinutes(4),
                        () -> status(second, app, ms).path("ready").asBoolean() && status(second, app, g).path("ready").asBoolean());
                assertIndexesEqualTheFakes(http, app, ms, g, graph, msUser, gmail, gUser);

                // 2. Random changes; killed in the middle of the run that reads them.
                Random random = new Random(1616);
                List<String> created = new ArrayList<>();
                List<String> deleted = new ArrayList<>();
                Set<String> touched = new java.util.HashSet<>();
                change(random, graph, msUser, gmail, gUser, created, deleted, touched);
                graph.mailboxLatency(Duration.ofMillis(400));
                String msToken = drain(http, app, ms);
                String gToken = drain(http, app, g);
                for (String account : List.of(ms, g)) {
                    assertThat(sync(http, app, "POST", account, "/run", null).status()).isEqualTo(202);
                }
                await("the runs after the changes under way", Duration.ofSeconds(120),
                        () -> changedSince(second, app, ms, msToken) && changedSince(second, app, g, gToken));
                boolean msDone = MailSyncIT.equalsGraph(MailSyncIT.index(http, app, ms, "messages", null), graph.state(msUser));
                server.kill();
                System.out.printf("killed during the runs after %d changes (Graph's index %s the fake at the kill)%n", 2 * CHANGES,
                        msDone ? "already equal to" : "not yet equal to");
                graph.mailboxLatency(Duration.ZERO);
                server = RunningServer.start(home, env);
                http = server.awaitHealthy(START).http();
                Http third = http;
                await("the indexes to follow the changes after the restart", Duration.ofMinutes(4),
                        () -> MailSyncIT.equalsGraph(MailSyncIT.index(third, app, ms, "messages", null), graph.state(msUser))
                                && MailSyncIT.equalsGmail(MailSyncIT.index(third, app, g, "messages", null), gmail.messages(gUser)));
                assertIndexesEqualTheFakes(http, app, ms, g, graph, msUser, gmail, gUser);
                await("an event for every message created and deleted", Duration.ofSeconds(60), () -> {
                    Set<String> toldCreated = new java.util.HashSet<>(MailSyncIT.told(receiver, ms, "messages").get("mail.message.created"));
                    toldCreated.addAll(MailSyncIT.told(receiver, g, "messages").get("mail.message.created"));
                    Set<String> toldDeleted = new java.util.HashSet<>(MailSyncIT.told(receiver, ms, "messages").get("mail.message.deleted"));
                    toldDeleted.addAll(MailSyncIT.told(receiver, g, "messages").get("mail.message.deleted"));
                    return toldCreated.containsAll(created) && toldDeleted.containsAll(deleted);
                });
                assertThat(MailSyncIT.told(receiver, ms, "messages").get("mail.message.created")).as("the first sync's messages were not announced")
                        .doesNotContainAnyElementsOf(MailSyncIT.index(http, app, ms, "messages", null).keySet().stream()
                                .filter(id -> !created.contains(id) && !touched.contains(id)).toList());
            } catch (AssertionError e) {
                String out = server.output();
                System.out.println(out.substring(Math.max(0, out.length() - 30_000)));
                System.out.println("jobs: " + server.http().send(server.http().request("admin/v1/jobs")
                        .header("Authorization", "Bearer " + IdentityIT.ADMIN).GET().build()).body());
                throw e;
            } finally {
                server.close();
            }
        }
    }

    private static final int CHANGES = 100;

    /** {@value #CHANGES} random changes in each mailbox: new, moved or relabelled, marked, deleted for good. */
    private static void change(Random random, FakeGraph graph, String msUser, FakeGmail gmail, String gUser, List<String> created,
                               List<String> deleted, Set<String> touched) {
        List<String> folders = List.of("inbox", "archive", "deleteditems", "junkemail");
        List<String> labels = List.of("UNREAD", "STARRED", "TRASH", "INBOX");
        for (int i = 0; i < CHANGES; i++) {
            List<String> live = new ArrayList<>(graph.state(msUser).keySet());
            String target = live.get(random.nextInt(live.size()));
            touched.add(target);
            switch (random.nextInt(4)) {
                case 0 -> created.add(graph.deliver(msUser, "new@customer.example", "New " + i, "<p>New</p>", Instant.now()));
                case 1 -> graph.move(msUser, target, folders.get(random.nextInt(folders.size())));
                case 2 -> graph.mark(msUser, target, random.nextBoolean(), random.nextBoolean());
                default -> {
                    graph.destroy(msUser, target);
                    if (!created.remove(target)) {
                        deleted.add(target);
                    }
                }
            }
            List<Map<String, Object>> messages = gmail.messages(gUser);
            String message = String.valueOf(messages.get(random.nextInt(messages.size())).get("id"));
            touched.add(message);
            switch (random.nextInt(4)) {
                case 0 -> created.add(gmail.deliver(gUser, "new@customer.example", "New " + i, "New", null, Instant.now()));
                case 1, 2 -> gmail.labelMessage(gUser, message, labels.get(random.nextInt(labels.size())), random.nextBoolean());
                default -> {
                    gmail.destroy(gUser, message);
                    if (!created.remove(message)) {
                        deleted.add(message);
                    }
                }
            }
        }
    }

    /** Each index equals its fake mailbox, and holds each message once. */
    private static void assertIndexesEqualTheFakes(Http http, ConnectorTestSupport.AppSession app, String ms, String g, FakeGraph graph,
                                                   String msUser, FakeGmail gmail, String gUser) {
        Map<String, Integer> msRecords = new HashMap<>();
        Map<String, JsonNode> msIndex = MailSyncIT.index(http, app, ms, "messages", msRecords);
        assertThat(MailSyncIT.equalsGraph(msIndex, graph.state(msUser))).as("Graph's index equals the fake").isTrue();
        assertThat(msRecords.values()).as("no Graph message twice").allMatch(n -> n == 1);
        assertThat(status(http, app, ms).path("messages").asLong()).isEqualTo(graph.state(msUser).size());
        Map<String, Integer> gRecords = new HashMap<>();
        Map<String, JsonNode> gIndex = MailSyncIT.index(http, app, g, "messages", gRecords);
        assertThat(MailSyncIT.equalsGmail(gIndex, gmail.messages(gUser))).as("Gmail's index equals the fake").isTrue();
        assertThat(gRecords.values()).as("no Gmail message twice").allMatch(n -> n == 1);
        assertThat(status(http, app, g).path("messages").asLong()).isEqualTo(gmail.messages(gUser).size());
    }

    private static void configure(Path home, FakeMicrosoftLogin login, FakeGraph graph, FakeGoogleOAuth google, FakeGmail gmail)
            throws java.io.IOException {
        MailboxProviders.configureHome(home, login, graph, google, gmail, "");
        Files.writeString(home.resolve("etc/switchboard.webhooks.cfg"), "allow.http=true\nretry.first.delay.ms=200\nretry.max.delay.ms=400\n");
        // A killed instance's runs are found dead after 2 s x 4 missed heartbeats (db-scheduler's default is 5 min x 6).
        Files.writeString(home.resolve("etc/switchboard.jobs.cfg"), "poll.interval.ms=500\nheartbeat.seconds=2\nmissed.heartbeats=4\n");
    }

    private static Http.Answer sync(Http http, ConnectorTestSupport.AppSession app, String method, String account, String path, String body) {
        return LinkingIT.developer(http, method, app.app(), app.secret(), "accounts/" + account + "/sync" + path, body);
    }

    private static JsonNode status(Http http, ConnectorTestSupport.AppSession app, String account) {
        Http.Answer a = sync(http, app, "GET", account, "", null);
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return a.json();
    }

    /** Some of the mailbox indexed, the first full sync not done. */
    private static boolean midSync(Http http, ConnectorTestSupport.AppSession app, String account) {
        JsonNode status = status(http, app, account);
        return status.path("messages").asLong() > 0 && !status.path("ready").asBoolean();
    }

    /** The token after every change so far. */
    private static String drain(Http http, ConnectorTestSupport.AppSession app, String account) {
        String token = "";
        while (true) {
            JsonNode page = sync(http, app, "GET", account, "/messages?limit=1000" + (token.isEmpty() ? "" : "&updatedSince=" + token), null).json();
            token = page.path("next").asText();
            if (!page.path("more").asBoolean()) {
                return token;
            }
        }
    }

    private static boolean changedSince(Http http, ConnectorTestSupport.AppSession app, String account, String token) {
        JsonNode page = sync(http, app, "GET", account, "/messages?limit=1&updatedSince=" + token, null).json();
        return page.path("changed").size() + page.path("deleted").size() > 0;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
