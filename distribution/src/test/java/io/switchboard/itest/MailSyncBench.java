package io.switchboard.itest;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.testkit.calendar.FakeGoogleCalendar;
import io.switchboard.testkit.calendar.FakeGraphCalendar;
import io.switchboard.testkit.db.TestDatabases;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail sync benchmark ({@code bench/mailsync.sh}; never part of the suite: only with
 * {@code -Dbench.mailsync=true}). One instance of the shipped jar with README command 1's JVM
 * options ({@code -Xmx128m}) on PostgreSQL, the providers' fakes in this JVM:
 * <ul>
 *   <li>initial sync of a {@code bench.messages} mailbox (10,000), Graph and Gmail, from the
 *   {@code PUT …/sync} to {@code ready}, with the heap's peak use (sampled from {@code /metrics}
 *   every 100 ms); the reference, in the same rounds: the same pages read straight from the fake
 *   by this JVM (what the provider costs alone);</li>
 *   <li>an incremental round of 100 changes (50 new, 50 marked) from {@code POST …/sync/run} to
 *   the last of them readable in {@code …/sync/messages};</li>
 *   <li>{@code bench.mailboxes} (200) Microsoft mailboxes of 50 messages switched on at once, to
 *   all {@code ready}, with the most requests one mailbox had at once at Graph.</li>
 * </ul>
 * Graph and Gmail, and the reference, alternate in order between rounds.
 */
@EnabledIfSystemProperty(named = "bench.mailsync", matches = "true")
class MailSyncBench {
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)$");
    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void initialIncrementalAndManyMailboxes() throws Exception {
        int messages = Integer.getInteger("bench.messages", 10_000);
        int rounds = Integer.getInteger("bench.rounds", 2);
        int mailboxes = Integer.getInteger("bench.mailboxes", 200);
        List<String> lines = new ArrayList<>();
        lines.add("| round | measure | messages | seconds | messages/s | heap peak |");
        lines.add("|---|---|---|---|---|---|");
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Path home = tmp.resolve("server");
        Files.createDirectories(home.resolve("etc"));
        try (FakeEntraId entra = new FakeEntraId(); FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms-client", "ms-secret");
             FakeGraph graph = new FakeGraph(login); FakeGoogleOAuth google = new FakeGoogleOAuth("g-client", "g-secret");
             FakeGmail gmail = new FakeGmail(google)) {
            // The fakes' calendars too: a mailbox's sync covers its calendars unless told otherwise.
            FakeGraphCalendar graphCalendar = new FakeGraphCalendar(graph);
            FakeGoogleCalendar googleCalendar = new FakeGoogleCalendar(gmail);
            MailboxProviders.configureHome(home, login, graph, google, gmail, "budget.requests=1000000\n");
            List<String> readme = List.of(System.getProperty("switchboard.jvm.options").trim().split("\\s+"));
            try (RunningServer server = RunningServer.start(home, io.switchboard.itest.support.ProbeRuns.env(db, "bench"), readme)) {
                server.awaitHealthy(Duration.ofSeconds(120));
                Http http = server.http();
                login.registerRedirectUri(http.base() + "v1/connect/callback");
                google.registerRedirectUri(http.base() + "v1/connect/callback");
                ConnectorTestSupport.AppSession app = ConnectorTestSupport.awaitAppWith(http, entra, "microsoft", "ms-client", "ms-secret");
                Http.Answer enabled = LinkingIT.developer(http, "PUT", app.app(), app.secret(), "connectors/google",
                        "{\"clientId\":\"g-client\",\"clientSecret\":\"g-secret\"}");
                if (enabled.status() != 200) {
                    throw new AssertionError(enabled.toString());
                }
                initial(http, app, login, graph, null, null, 1000, "warm-up"); // the JIT's work is not the sync's
                initial(http, app, null, null, google, gmail, 1000, "warm-up");
                for (int round = 0; round < rounds; round++) {
                    List<String> order = new ArrayList<>(List.of("graph", "gmail", "reference"));
                    java.util.Collections.rotate(order, round);
                    for (String measure : order) {
                        lines.add(switch (measure) {
                            case "graph" -> initial(http, app, login, graph, null, null, messages, String.valueOf(round + 1));
                            case "gmail" -> initial(http, app, null, null, google, gmail, messages, String.valueOf(round + 1));
                            default -> reference(login, graph, messages, round + 1);
                        });
                        System.out.println(lines.get(lines.size() - 1));
                    }
                }
                lines.add("");
                int events = Integer.getInteger("bench.events", 2000);
                calendar(http, app, login, graphCalendar, null, null, 200); // warm-up
                calendar(http, app, null, null, google, googleCalendar, 200);
                for (int round = 0; round < rounds; round++) {
                    lines.addAll(calendar(http, app, login, graphCalendar, null, null, events));
                    lines.addAll(calendar(http, app, null, null, google, googleCalendar, events));
                }
                System.out.println(String.join("\n", lines));
                lines.add("");
                try {
                    lines.add(incremental(http, app, login, graph));
                    lines.add(many(http, app, login, graph, mailboxes));
                } catch (AssertionError e) {
                    String out = server.output();
                    System.out.println(out.substring(Math.max(0, out.length() - 20_000)));
                    throw e;
                }
            }
        }
        String table = String.join("\n", lines) + "\n";
        Files.writeString(Path.of(System.getProperty("bench.out", "target/mailsync-bench.md")), table);
        System.out.println(table);
    }


    /** Seeds a mailbox, links it, switches its sync on, and times it to ready (Microsoft when {@code login} is given, else Google). */
    private String initial(Http http, ConnectorTestSupport.AppSession app, FakeMicrosoftLogin login, FakeGraph graph, FakeGoogleOAuth google,
                           FakeGmail gmail, int messages, String round) throws Exception {
        String user = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.parse("2026-11-01T08:00:00Z");
        for (int i = 0; i < messages; i++) {
            if (login != null) {
                graph.deliver(user, "sender" + i % 97 + "@customer.example", "Message " + i, "<p>Body " + i + "</p>", start.plusSeconds(i));
            } else {
                gmail.deliver(user, "sender" + i % 97 + "@customer.example", "Message " + i, "Body " + i, null, start.plusSeconds(i));
            }
        }
        String account = link(http, app, login, google, user);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(heap(http), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        Http.Answer on = LinkingIT.developer(http, "PUT", app.app(), app.secret(), "accounts/" + account + "/sync", "{}");
        if (on.status() != 201) {
            throw new AssertionError(on.toString());
        }
        JsonNode status = awaitReady(http, app, account, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        if (status.path("messages").asLong() != messages) {
            throw new AssertionError("index holds " + status.path("messages") + " of " + messages);
        }
        return String.format("| %s | initial sync, %s | %d | %.2f | %.0f | %d MiB |", round, login != null ? "Graph" : "Gmail", messages, seconds,
                messages / seconds, peak.get() >> 20);
    }

    /**
     * A calendar of {@code events} events spread over the sync's window (30 days back, 180 ahead,
     * plus some outside it) synced on its own, then 100 of them deleted by the user and one run:
     * the seconds to the first full sync and from the run's request to the index without them.
     */
    private List<String> calendar(Http http, ConnectorTestSupport.AppSession app, FakeMicrosoftLogin login, FakeGraphCalendar graphCalendar,
                                  FakeGoogleOAuth google, FakeGoogleCalendar googleCalendar, int events) throws Exception {
        String user = "cal-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant start = now.plus(Duration.ofMinutes(-20L * 24 * 60 + (long) i * 190 * 24 * 60 / events));
            ids.add(login != null ? graphCalendar.invite(user, "boss@customer.example", "Meeting " + i, start, start.plusSeconds(1800))
                    : googleCalendar.invite(user, "boss@customer.example", "Meeting " + i, start, start.plusSeconds(1800)));
        }
        String account = link(http, app, login, google, user);
        long started = System.nanoTime();
        Http.Answer on = LinkingIT.developer(http, "PUT", app.app(), app.secret(), "accounts/" + account + "/sync",
                "{\"mail\":false,\"calendar\":true}");
        if (on.status() != 201) {
            throw new AssertionError(on.toString());
        }
        JsonNode status = awaitReady(http, app, account, Duration.ofMinutes(10));
        double initial = (System.nanoTime() - started) / 1e9;
        if (status.path("events").asLong() != events) {
            throw new AssertionError("index holds " + status.path("events") + " of " + events + " events");
        }
        for (int i = 0; i < 100; i++) {
            if (login != null) {
                graphCalendar.deleteEvent(user, ids.get(i * (events / 100)));
            } else {
                googleCalendar.cancelEvent(user, ids.get(i * (events / 100)));
            }
        }
        started = System.nanoTime();
        LinkingIT.developer(http, "POST", app.app(), app.secret(), "accounts/" + account + "/sync/run", null);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (status(http, app, account).path("events").asLong() != events - 100) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the index did not follow 100 deletions");
            }
            Thread.sleep(20);
        }
        double incremental = (System.nanoTime() - started) / 1e9;
        String provider = login != null ? "Graph calendar" : "Google Calendar";
        return List.of(String.format("| | initial sync, %s | %d events | %.2f | %.0f | |", provider, events, initial, events / initial),
                String.format("| | a run after 100 deletions, %s | %d events | %.2f | | |", provider, events, incremental));
    }

    /** The same Graph pages (200 a page) read by this JVM straight from the fake: the provider's own cost. */
    private String reference(FakeMicrosoftLogin login, FakeGraph graph, int messages, int round) throws Exception {
        String user = "ref-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < messages; i++) {
            graph.deliver(user, "sender@customer.example", "Message " + i, "<p>Body " + i + "</p>", Instant.now());
        }
        String token = login.accessTokenFor(user);
        long started = System.nanoTime();
        String next = graph.baseUri() + "/v1.0/me/mailFolders/inbox/messages/delta?%24select=id,subject,from,receivedDateTime,isRead";
        int seen = 0;
        while (next != null) {
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(next.replace("$", "%24"))).header("Authorization",
                    "Bearer " + token).header("Prefer", "IdType=\"ImmutableId\", odata.maxpagesize=200").build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body = com.nimbusds.jose.util.JSONObjectUtils.parse(page.body());
            seen += ((List<?>) body.get("value")).size();
            next = (String) body.get("@odata.nextLink");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("| %d | reference: the fake's delta pages read directly | %d | %.2f | %.0f | |", round, seen, seconds, seen / seconds);
    }

    private String incremental(Http http, ConnectorTestSupport.AppSession app, FakeMicrosoftLogin login, FakeGraph graph) throws Exception {
        List<String> samples = new ArrayList<>();
        String user = "inc-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(graph.deliver(user, "sender@customer.example", "Message " + i, "<p>" + i + "</p>", Instant.now()));
        }
        String account = link(http, app, login, null, user);
        LinkingIT.developer(http, "PUT", app.app(), app.secret(), "accounts/" + account + "/sync", "{}");
        awaitReady(http, app, account, Duration.ofMinutes(5));
        String token = drain(http, app, account, "", 0);
        System.out.println("first drain token " + token);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                graph.deliver(user, "new@customer.example", "New " + round + "/" + i, "<p>new</p>", Instant.now());
                graph.mark(user, ids.get(round * 50 + i), true, true);
            }
            String before = status(http, app, account).path("lastRunAt").asText();
            long started = System.nanoTime();
            LinkingIT.developer(http, "POST", app.app(), app.secret(), "accounts/" + account + "/sync/run", null);
            token = drain(http, app, account, token, 100);
            samples.add(String.format("%.0f", (System.nanoTime() - started) / 1e6));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (status(http, app, account).path("lastRunAt").asText().equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(20); // the run goes on to the other folders and the calendar: the next round starts after it
            }
        }
        return "Incremental round of 100 changes (50 new, 50 marked read and flagged) in a 1,000-message mailbox, from POST …/sync/run "
                + "(no run under way) to all 100 readable in …/sync/messages, 5 rounds: " + String.join(", ", samples) + " ms";
    }

    private String many(Http http, ConnectorTestSupport.AppSession app, FakeMicrosoftLogin login, FakeGraph graph, int mailboxes) throws Exception {
        List<String> users = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        for (int m = 0; m < mailboxes; m++) {
            String user = "many-" + m + "-" + UUID.randomUUID().toString().substring(0, 4);
            for (int i = 0; i < 50; i++) {
                graph.deliver(user, "sender@customer.example", "Message " + i, "<p>" + i + "</p>", Instant.now());
            }
            users.add(user);
            accounts.add(link(http, app, login, null, user));
        }
        graph.mailboxLatency(Duration.ofMillis(20)); // a provider that takes its time, so that runs overlap
        long started = System.nanoTime();
        for (String account : accounts) {
            LinkingIT.developer(http, "PUT", app.app(), app.secret(), "accounts/" + account + "/sync", "{}");
        }
        for (String account : accounts) {
            awaitReady(http, app, account, Duration.ofMinutes(20));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        graph.mailboxLatency(Duration.ZERO);
        int most = users.stream().mapToInt(graph::mostAtOnce).max().orElse(0);
        return String.format("%d Microsoft mailboxes of 50 messages switched on at once (Graph answering in 20 ms): all ready in %.1f s; "
                + "the most requests one mailbox had at once at Graph: %d", mailboxes, seconds, most);
    }

    /** Reads the changes after {@code token} until at least {@code atLeast} came; returns the last token. */
    private static String drain(Http http, ConnectorTestSupport.AppSession app, String account, String token, int atLeast) throws Exception {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            JsonNode page = LinkingIT.developer(http, "GET", app.app(), app.secret(), "accounts/" + account + "/sync/messages?limit=1000"
                    + (token.isEmpty() ? "" : "&updatedSince=" + token), null).json();
            seen += page.path("changed").size() + page.path("deleted").size();
            token = page.path("next").asText();
            if (!page.path("more").asBoolean() && seen >= atLeast) {
                return token;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(seen + " of " + atLeast + " changes after " + token + ": " + LinkingIT.developer(http, "GET", app.app(),
                        app.secret(), "accounts/" + account + "/sync/messages?limit=3&updatedSince=" + token, null) + " from the start: "
                        + LinkingIT.developer(http, "GET", app.app(), app.secret(), "accounts/" + account + "/sync/messages?limit=2", null)
                        + "; status " + LinkingIT.developer(http, "GET", app.app(), app.secret(),
                        "accounts/" + account + "/sync", null) + "; jobs " + http.send(http.request("admin/v1/jobs?account=" + account)
                        .header("Authorization", "Bearer " + IdentityIT.ADMIN).GET().build()).body());
            }
            if (!page.path("more").asBoolean()) {
                Thread.sleep(10);
            }
        }
    }

    private static JsonNode status(Http http, ConnectorTestSupport.AppSession app, String account) {
        return LinkingIT.developer(http, "GET", app.app(), app.secret(), "accounts/" + account + "/sync", null).json();
    }

    private static JsonNode awaitReady(Http http, ConnectorTestSupport.AppSession app, String account, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = LinkingIT.developer(http, "GET", app.app(), app.secret(), "accounts/" + account + "/sync", null).json();
            if (status.path("ready").asBoolean()) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready: " + status);
            }
            Thread.sleep(50);
        }
    }

    private static String link(Http http, ConnectorTestSupport.AppSession app, FakeMicrosoftLogin login, FakeGoogleOAuth google, String user) {
        if (login != null) {
            login.signedInUser(user);
            return ConnectorTestSupport.client(http, app.session()).linkThroughDialog("microsoft", login.baseUri() + "/common/oauth2/v2.0/authorize");
        }
        google.signedInUser(user);
        return ConnectorTestSupport.client(http, app.session()).linkThroughDialog("google", google.authorizeUrl());
    }

    private long heap(Http http) {
        try {
            String metrics = http.send(http.request("metrics").header("Authorization", "Bearer " + IdentityIT.ADMIN).GET().build()).body();
            long sum = 0;
            Matcher m = HEAP.matcher(metrics);
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
