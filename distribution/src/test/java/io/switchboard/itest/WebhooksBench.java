package io.switchboard.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProbeBundle;
import io.switchboard.itest.support.ProbeRuns;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.testkit.db.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhooks benchmark ({@code bench/webhooks.sh}; never part of the suite: it runs only with
 * {@code -Dbench.webhooks=true}). One instance of the shipped jar on PostgreSQL delivers to a
 * receiver on loopback (the JDK's HTTP server, 204 at once):
 * <ul>
 *   <li>throughput: {@code bench.events} events written to the outbox in one transaction, as
 *   {@code Events.publish} writes them (event, delivery, run; NOTIFY at the commit), spread over
 *   {@code E} endpoints, from the commit until the receiver has them all; E = 10 and E = 1 (one
 *   endpoint is held to its 4 deliveries in flight);</li>
 *   <li>reference, in the same instance: as many no-op job runs (the job probe), the engine's own
 *   throughput without HTTP;</li>
 *   <li>event-to-delivery latency: one event at a time, from its commit to its arrival (200 samples).</li>
 * </ul>
 * The three throughput measures alternate in order between rounds.
 */
@EnabledIfSystemProperty(named = "bench.webhooks", matches = "true")
class WebhooksBench {
    @TempDir
    Path tmp;

    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

    @Test
    void deliveriesPerSecondAndLatency() throws Exception {
        int events = Integer.getInteger("bench.events", 10_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int threads = Integer.getInteger("bench.threads", 8);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        receiver.setExecutor(pool);
        receiver.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrivals.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Path home = tmp.resolve("server");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/switchboard.jobs.cfg"), "threads=" + threads + "\n");
        Files.writeString(home.resolve("etc/switchboard.webhooks.cfg"), "allow.http=true\n");
        Files.writeString(home.resolve("etc/switchboard.outbound.cfg"), "allow.private.addresses=true\n");
        Files.writeString(home.resolve("etc/switchboard.identity.cfg"), "admin.token=" + IdentityIT.ADMIN + "\n");
        ProbeBundle.buildJobs(Files.createDirectories(home.resolve("deploy")).resolve("probe-jobs.jar"), "1.0.0");
        List<String> lines = new ArrayList<>();
        lines.add("| round | measure | runs | seconds | per second |");
        lines.add("|---|---|---|---|---|");
        try (RunningServer server = RunningServer.start(home, ProbeRuns.env(db, "bench")); Connection c = db.connect()) {
            server.awaitHealthy(Duration.ofSeconds(120));
            ProbeRuns.awaitTable(c, Duration.ofSeconds(120));
            JsonNode created = createApp(server.http());
            String app = created.path("id").asText();
            List<String> endpoints = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Http.Answer endpoint = LinkingIT.developer(server.http(), "POST", app, created.path("secret").asText(), "webhooks",
                        "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
                if (endpoint.status() != 201) {
                    throw new AssertionError(endpoint.toString());
                }
                endpoints.add(endpoint.json().path("id").asText());
            }
            Thread.sleep(2000);
            deliver(c, app, endpoints, events); // warm-up as long as a measure (the JIT, the pools, the database's first large batches)
            for (int round = 0; round < rounds; round++) {
                List<String> order = new ArrayList<>(List.of("10 endpoints", "1 endpoint", "no-op jobs (reference)"));
                java.util.Collections.rotate(order, round);
                for (String measure : order) {
                    long started = System.nanoTime();
                    switch (measure) {
                        case "10 endpoints" -> deliver(c, app, endpoints, events);
                        case "1 endpoint" -> deliver(c, app, endpoints.subList(0, 1), events);
                        default -> noop(c, "round" + round, events);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    lines.add(String.format("| %d | %s | %d | %.1f | %.0f |", round + 1, measure, events, seconds, events / seconds));
                    System.out.println(lines.get(lines.size() - 1));
                }
            }
            long[] latencies = new long[200];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = latencyOfOne(c, app, endpoints.get(i % endpoints.size()));
            }
            Arrays.sort(latencies);
            lines.add("");
            lines.add(String.format("Event-to-delivery latency (commit to arrival, %d events one at a time): p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms", latencies.length, latencies[latencies.length / 2] / 1e6, latencies[latencies.length * 99 / 100] / 1e6,
                    latencies[latencies.length - 1] / 1e6));
        } finally {
            receiver.stop(0);
            pool.shutdownNow();
        }
        String table = String.join("\n", lines) + "\n";
        Files.writeString(Path.of(System.getProperty("bench.out", "target/webhooks-bench.md")), table);
        System.out.println(table);
    }

    /** Writes {@code n} events, one delivery each over {@code endpoints} in turn, commits, and waits for all to arrive. */
    private void deliver(Connection c, String app, List<String> endpoints, int n) throws Exception {
        int before = arrivals.size();
        List<String> ids = publish(c, app, endpoints, n);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (arrivals.size() < before + n) { // cheap to poll; every id is checked once at the end
            if (System.nanoTime() > deadline) {
                throw new AssertionError("deliveries missing after 10 minutes");
            }
            Thread.sleep(10);
        }
        if (!ids.stream().allMatch(arrivals::containsKey)) {
            throw new AssertionError("a delivery arrived twice instead of another");
        }
    }

    private long latencyOfOne(Connection c, String app, String endpoint) throws Exception {
        long committed = System.nanoTime();
        String id = publish(c, app, List.of(endpoint), 1).get(0);
        committed = (committed + System.nanoTime()) / 2; // the commit happened between the two readings
        while (!arrivals.containsKey(id)) {
            Thread.sleep(0, 200_000);
        }
        return arrivals.get(id) - committed;
    }

    /** The outbox rows Events.publish writes (event, delivery, the delivery's run), in one transaction, NOTIFY at the commit. */
    private static List<String> publish(Connection c, String app, List<String> endpoints, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        c.setAutoCommit(false);
        try (PreparedStatement event = c.prepareStatement("INSERT INTO webhook_event (id, app_id, event_type, body, created_at) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement delivery = c.prepareStatement("INSERT INTO webhook_delivery (id, event_id, endpoint_id, app_id, state, attempts, "
                     + "created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)");
             PreparedStatement run = c.prepareStatement("INSERT INTO job_execution (task_name, task_instance, task_data, execution_time, "
                     + "picked, version) VALUES ('job', ?, ?, ?, FALSE, 1)")) {
            for (int i = 0; i < n; i++) {
                String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
                String dlv = "dlv_" + UUID.randomUUID().toString().replace("-", "");
                String endpoint = endpoints.get(i % endpoints.size());
                event.setString(1, id);
                event.setString(2, app);
                event.setString(3, "bench.event");
                event.setString(4, "{\"type\":\"bench.event\",\"timestamp\":\"" + now.toInstant() + "\",\"data\":{\"n\":" + i + "}}");
                event.setTimestamp(5, now);
                event.addBatch();
                delivery.setString(1, dlv);
                delivery.setString(2, id);
                delivery.setString(3, endpoint);
                delivery.setString(4, app);
                delivery.setTimestamp(5, now);
                delivery.setTimestamp(6, now);
                delivery.addBatch();
                run.setString(1, "webhooks.deliver/" + dlv);
                run.setBytes(2, ("{\"type\":\"webhooks.deliver\",\"key\":\"" + dlv + "\",\"app\":\"" + app + "\",\"account\":null,"
                        + "\"data\":{\"endpoint\":\"" + endpoint + "\"},\"attempt\":1,\"every\":null,\"waitingForType\":false}")
                        .getBytes(StandardCharsets.UTF_8));
                run.setTimestamp(3, now);
                run.addBatch();
                ids.add(id);
            }
            event.executeBatch();
            delivery.executeBatch();
            run.executeBatch();
            try (Statement s = c.createStatement()) {
                s.execute("NOTIFY switchboard_jobs");
            }
        }
        c.commit();
        c.setAutoCommit(true);
        return ids;
    }

    private static void noop(Connection c, String prefix, int n) throws Exception {
        ProbeRuns.insert(c, prefix, n, "{\"noop\":true}", i -> Instant.now());
        while (ProbeRuns.count(c, ProbeRuns.PROBE_RUNS_LEFT) > 0) {
            Thread.sleep(10);
        }
    }

    private static JsonNode createApp(Http http) {
        Http.Answer created = http.send(http.request("admin/v1/apps").header("Authorization", "Bearer " + IdentityIT.ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")).build());
        if (created.status() != 201) {
            throw new AssertionError(created.toString());
        }
        return created.json();
    }
}
