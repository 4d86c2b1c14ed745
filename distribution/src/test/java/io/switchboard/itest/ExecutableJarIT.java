package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.probe.ProbeHealthCheck;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProbeBundle;
import io.switchboard.itest.support.RunningServer;
import io.switchboard.itest.support.RuntimeImage;
import io.switchboard.testkit.db.TestDatabases;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar as an operator runs it: first start on the embedded defaults, restart with the
 * data kept, the Web Console's credentials and a console-installed bundle surviving a restart,
 * and the same jar on PostgreSQL with two instances starting together.
 */
class ExecutableJarIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern GENERATED = Pattern.compile("generated password.*?\\n\\s+(\\S+)", Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void firstStartOnH2ThenRestartKeepsDataConsoleAndInstalledBundles() throws Exception {
        Path home = tmp.resolve("home");
        String password;
        try (RunningServer server = RunningServer.start(home, Map.of()).awaitHealthy(START)) {
            JsonNode health = server.http().get("health").json();
            assertThat(health.path("checks").path("database").path("status").asText()).isEqualTo("UP");
            // No master key on H2: a development key under data/, and a loud warning.
            assertThat(health.path("checks").path("vault").path("detail").asText()).isEqualTo("development key dev");
            assertThat(home.resolve("data/master.key")).exists();
            assertThat(server.output()).contains("NO MASTER KEY CONFIGURED");
            assertThat(health.path("checks").path("database").path("detail").asText()).startsWith("h2");
            assertThat(home.resolve("etc/switchboard.store.cfg")).exists();
            assertThat(home.resolve("data/db")).isDirectory();
            // Issue 18 item 16: the data folder and the database files are the server user's only.
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data"))))
                    .isEqualTo("rwx------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data/db"))))
                    .isEqualTo("rwx------");
            try (var files = Files.list(home.resolve("data/db"))) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("switchboard.")).toList()).isNotEmpty()
                        .allSatisfy(f -> assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                                .as(f.toString()).isEqualTo("rw-------"));
            }
            // The shipped connectors are put in deploy/ at the first start (and only then).
            assertThat(home.resolve("deploy/connector.salesforce.jar")).exists();

            // No built-in console password: one is generated, printed once, and only its hash kept.
            Matcher m = GENERATED.matcher(server.output());
            assertThat(m.find()).as(server.output()).isTrue();
            password = m.group(1);
            assertThat(Files.readString(home.resolve("data/console-password.sha256"))).doesNotContain(password);
            // The console starts with the last start level, possibly just after /health turns 200.
            awaitConsole(server.http());
            assertThat(console(server.http(), "admin", "admin", "system/console/bundles.json").status()).isEqualTo(401);
            assertThat(console(server.http(), "admin", password, "system/console/bundles.json").status()).isEqualTo(200);

            // A bundle installed through the Web Console...
            Path probe = ProbeBundle.build(tmp.resolve("probe.jar"), "1.0.0");
            Http.Answer install = installThroughConsole(server.http(), password, probe);
            assertThat(install.status()).as(install.toString()).isLessThan(400);
            awaitProbe(server.http(), "1.0.0");
        }
        // ...survives a restart, and so does the database (no second migration, same schema); a
        // connector the operator removed stays removed.
        Files.delete(home.resolve("deploy/connector.salesforce.jar"));
        try (RunningServer again = RunningServer.start(home, Map.of()).awaitHealthy(START)) {
            assertThat(home.resolve("deploy/connector.salesforce.jar")).doesNotExist();
            awaitProbe(again.http(), "1.0.0");
            assertThat(again.output()).doesNotContain("generated password");
            assertThat(again.output()).contains("NO MASTER KEY CONFIGURED");
            awaitConsole(again.http());
            assertThat(console(again.http(), "admin", password, "system/console/bundles.json").status()).isEqualTo(200);
        }
    }

    /**
     * Issue 18 item 1: the Web Console on a loopback listener of its own (and not on the API's port),
     * refusing cross-site form posts, never framed, and locking out a client after five failed
     * sign-ins. The repro (a POST with {@code Origin: https://evil.example} changing
     * {@code max.document.bytes}) answered 302 and applied before.
     */
    @Test
    void theConsoleListensApartRefusesCrossSiteChangesAndLimitsFailedSignIns() throws Exception {
        Path home = tmp.resolve("console");
        int consolePort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            consolePort = socket.getLocalPort();
        }
        Map<String, String> env = Map.of("SWITCHBOARD_CONSOLE_PORT", String.valueOf(consolePort), "SWITCHBOARD_CONSOLE_PASSWORD", "pw-1234");
        try (RunningServer server = RunningServer.start(home, env).awaitHealthy(START)) {
            Http console = new Http(java.net.URI.create("http://127.0.0.1:" + consolePort + "/"));
            awaitConsole(console);
            assertThat(console(console, "admin", "pw-1234", "system/console/bundles.json").status()).isEqualTo(200);
            assertThat(console(server.http(), "admin", "pw-1234", "system/console/bundles.json").status()).as("not on the API's port")
                    .isEqualTo(404);
            assertThat(console.get("health").status()).as("the API is not on the console's listener").isEqualTo(404);
            Http.Answer page = console(console, "admin", "pw-1234", "system/console/bundles");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");

            String change = "apply=true&action=ajaxConfigManager&propertylist=max.document.bytes&max.document.bytes=";
            Http.Answer forged = consolePost(console, "system/console/configMgr/switchboard.config", change + "1234",
                    "Origin", "https://evil.example");
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
            assertThat(forged.header("Connection")).as("the unread body: the connection is not kept for another request").isEqualTo("close");
            assertThat(consolePost(console, "system/console/configMgr/switchboard.config", change + "1235",
                    "Referer", "https://evil.example/page").status()).isEqualTo(403);
            assertThat(consolePost(console, "system/console/configMgr/switchboard.config", change + "1236",
                    "Origin", "null").status()).isEqualTo(403);
            assertThat(consolePost(console, "system/console/configMgr/switchboard.config", change + "4321",
                    "Origin", "http://127.0.0.1:" + consolePort).status()).as("the console's own pages").isEqualTo(302);
            String configurations = console(console, "admin", "pw-1234", "system/console/status-Configurations.txt").body();
            assertThat(configurations).contains("max.document.bytes = 4321").doesNotContain("= 1234").doesNotContain("= 1235")
                    .doesNotContain("= 1236");

            for (int i = 0; i < 5; i++) {
                assertThat(console(console, "admin", "wrong-" + i, "system/console/bundles.json").status()).isEqualTo(401);
            }
            Http.Answer locked = console(console, "admin", "pw-1234", "system/console/bundles.json");
            assertThat(locked.status()).as("locked out, even with the right password").isEqualTo(429);
            assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 60);
            server.awaitHealthy(Duration.ofSeconds(30)); // the API still answers (after the configuration change above rebuilt it)
        }
        // Without the variable, the launcher switches its listener off and the console is back on the API's port.
        try (RunningServer server = RunningServer.start(home, Map.of("SWITCHBOARD_CONSOLE_PASSWORD", "pw-1234")).awaitHealthy(START)) {
            assertThat(home.resolve("etc/org.apache.felix.http-console.cfg")).content().contains("org.apache.felix.http.enable=false");
            awaitConsole(server.http());
            assertThat(console(server.http(), "admin", "pw-1234", "system/console/bundles.json").status()).isEqualTo(200);
        }
    }

    /**
     * Issue 18 item 3 on the README's profile ({@code -Xmx128m}): 300 clients each send all but the
     * last byte of a 1 MiB body, half to the sign-in, half to another endpoint (1,048,575 of 1,048,576
     * bytes to {@code POST /v1/sessions} from 120 connections filled the heap before: OutOfMemoryError,
     * {@code /health} ~3 s). The per-path limit, the per-client count and the global budget keep the
     * server healthy and answering others.
     */
    @Test
    void threeHundredUnfinishedBodiesNeitherFillTheHeapNorStallOtherCalls() throws Exception {
        List<String> readme = List.of(System.getProperty("switchboard.jvm.options").trim().split("\\s+"));
        try (RunningServer server = RunningServer.start(tmp.resolve("bodies"), Map.of(), readme).awaitHealthy(START)) {
            List<java.net.Socket> open = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            List<java.util.concurrent.Future<?>> sending = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    String path = i % 2 == 0 ? "/v1/sessions" : "/admin/v1/apps";
                    sending.add(pool.submit(() -> {
                        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
                        open.add(socket);
                        var out = socket.getOutputStream();
                        out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        for (long left = 1_048_575; left > 0; left -= chunk.length) {
                            out.write(chunk, 0, (int) Math.min(chunk.length, left));
                        }
                        out.flush();
                        return null;
                    }));
                }
                for (var f : sending) {
                    try {
                        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException refused) {
                        // the server answered 429 or 503 and closed the connection while the client was still writing
                    }
                }
                for (int i = 0; i < 5; i++) {
                    long started = System.nanoTime();
                    assertThat(server.http().get("health").status()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                }
                // Another client (another loopback address) signing in gets its answer, not a refusal for lack of room.
                try (java.net.Socket other = new java.net.Socket()) {
                    other.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                    other.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                    other.setSoTimeout(10_000);
                    String body = "{\"app\":\"app_unknown\",\"token\":\"not-a-token\"}";
                    other.getOutputStream().write(("POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(answer).matches("(?s)HTTP/1\\.1 4(00|01|04|22) .*").contains("application/problem+json");
                }
                assertThat(server.output()).doesNotContain("OutOfMemoryError");
            } finally {
                pool.shutdownNow();
                for (java.net.Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    private static Http.Answer consolePost(Http http, String path, String form, String header, String value) {
        String auth = Base64.getEncoder().encodeToString("admin:pw-1234".getBytes(StandardCharsets.UTF_8));
        return http.send(http.request(path).header("Authorization", "Basic " + auth).header(header, value)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /**
     * README command 1: the class-data archive the build writes next to the jar is valid for it.
     * {@code -Xshare:on} makes the JVM refuse to start rather than silently run without it.
     */
    @Test
    void theReadmeStartUsesTheClassDataArchiveOfTheBuild() throws Exception {
        Path archive = RuntimeImage.get().jar().resolveSibling("switchboard.jsa");
        assertThat(archive).as("the build writes it (mvn package without -Dswitchboard.cds.skip=true)").isRegularFile();
        List<String> readme = new java.util.ArrayList<>(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
        readme.addAll(List.of(System.getProperty("switchboard.jvm.options").trim().split("\\s+"))); // the pom's, as trained
        try (RunningServer server = RunningServer.start(tmp.resolve("cds"), Map.of(), readme).awaitHealthy(START)) {
            assertThat(server.http().get("health").status()).isEqualTo(200);
            assertThat(server.output()).doesNotContain("shared archive");
        }
    }

    @Test
    void hotDeployInstallsReplacesAndRemovesWhileOtherEndpointsKeepAnswering() throws Exception {
        Path home = tmp.resolve("hot");
        try (RunningServer server = RunningServer.start(home, Map.of()).awaitHealthy(START)) {
            Http http = server.http();
            Path v1 = ProbeBundle.build(tmp.resolve("v1.jar"), "1.0.0");
            Path v2 = ProbeBundle.build(tmp.resolve("v2.jar"), "2.0.0");
            Path deployed = home.resolve("deploy/probe.jar");
            try (Poller poller = new Poller(http, "health", "openapi.json")) {
                drop(v1, deployed);
                awaitProbe(http, "1.0.0");
                drop(v2, deployed);
                awaitProbe(http, "2.0.0");
                Files.delete(deployed);
                awaitProbeGone(http);
                assertThat(poller.calls()).isGreaterThan(20);
                assertThat(poller.failures()).as("non-200 answers during the cycle").isEmpty();
            }
        }
    }

    @Test
    void runsOnPostgresAndTwoInstancesStartingTogetherMigrateOnce() throws Exception {
        TestDatabases.Db db = TestDatabases.freshPostgres();
        Map<String, String> withoutKey = Map.of(
                "SWITCHBOARD_DB_URL", db.url(),
                "SWITCHBOARD_DB_USER", db.user() == null ? "" : db.user(),
                "SWITCHBOARD_DB_PASSWORD", db.password() == null ? "" : db.password());
        // PostgreSQL without a master key: the server refuses to start.
        try (RunningServer refused = RunningServer.start(tmp.resolve("nokey"), withoutKey)) {
            assertThat(refused.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(refused.output()).contains("SWITCHBOARD_MASTER_KEY");
        }
        Map<String, String> env = new java.util.HashMap<>(withoutKey);
        env.put("SWITCHBOARD_MASTER_KEY", io.switchboard.itest.support.SwitchboardTestSupport.masterKey("k1"));
        try (RunningServer a = RunningServer.start(tmp.resolve("a"), env);
                RunningServer b = RunningServer.start(tmp.resolve("b"), env)) {
            a.awaitHealthy(START);
            b.awaitHealthy(START);
            for (RunningServer s : new RunningServer[] {a, b}) {
                JsonNode database = s.http().get("health").json().path("checks").path("database");
                assertThat(database.path("detail").asText()).startsWith("postgresql, schema version");
                assertThat(s.http().get("health").json().path("checks").path("vault").path("detail").asText()).isEqualTo("key k1");
            }
        }
        try (Connection c = db.connect()) {
            java.util.List<String> histories = new java.util.ArrayList<>();
            try (ResultSet tables = c.createStatement().executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'schema_history_%' ORDER BY table_name")) {
                while (tables.next()) {
                    histories.add(tables.getString(1));
                }
            }
            assertThat(histories).as("one history per bundle that owns tables")
                    .containsExactly("schema_history_config", "schema_history_identity", "schema_history_jobs",
                            "schema_history_linking", "schema_history_mailsync", "schema_history_store", "schema_history_vault",
                            "schema_history_webhooks");
            for (String history : histories) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT version, COUNT(*) FROM " + history
                        + " WHERE success AND type = 'SQL' GROUP BY version")) {
                    int versions = 0;
                    while (rs.next()) {
                        versions++;
                        assertThat(rs.getInt(2)).as("applications of " + history + " version " + rs.getString(1)).isEqualTo(1);
                    }
                    assertThat(versions).as(history).isGreaterThan(0);
                }
            }
        }
    }

    // --- helpers

    private static void drop(Path bundle, Path deployed) throws Exception {
        // Write beside the target and move, so the deploy folder never holds a half-written jar.
        Path partial = deployed.resolveSibling("." + UUID.randomUUID() + ".part");
        Files.copy(bundle, partial);
        Files.move(partial, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitProbe(Http http, String version) {
        await(() -> version.equals(http.get("health").json().path("checks").path(ProbeHealthCheck.NAME).path("detail").asText()),
                "probe " + version + " live");
    }

    private static void awaitProbeGone(Http http) {
        await(() -> http.get("health").json().path("checks").path(ProbeHealthCheck.NAME).isMissingNode(), "probe removed");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (AssertionError | RuntimeException notYet) {
                // e.g. CXF's HTML 404 while the whiteboard redeploys the application after a bundle
                // change (seen after installing a bundle through the console); keep waiting.
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    private static void awaitConsole(Http http) {
        await(() -> http.get("system/console/bundles.json").status() == 401, "the Web Console");
    }

    private static Http.Answer console(Http http, String user, String password, String path) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(http.request(path).header("Authorization", "Basic " + auth).GET().build());
    }

    private static Http.Answer installThroughConsole(Http http, String password, Path bundle) throws Exception {
        String boundary = "----switchboard" + UUID.randomUUID();
        byte[] jar = Files.readAllBytes(bundle);
        StringBuilder head = new StringBuilder();
        for (String[] field : new String[][] {{"action", "install"}, {"bundlestart", "start"}, {"bundlestartlevel", "1"}}) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                    .append(field[0]).append("\"\r\n\r\n").append(field[1]).append("\r\n");
        }
        head.append("--").append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"probe.jar\"\r\n")
                .append("Content-Type: application/java-archive\r\n\r\n");
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[headBytes.length + jar.length + tail.length];
        System.arraycopy(headBytes, 0, body, 0, headBytes.length);
        System.arraycopy(jar, 0, body, headBytes.length, jar.length);
        System.arraycopy(tail, 0, body, headBytes.length + jar.length, tail.length);
        String auth = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(http.request("system/console/bundles")
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Calls some endpoints in a loop on a background thread and records every non-200. */
    static final class Poller implements AutoCloseable {
        private final Thread thread;
        private final java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean running = true;

        Poller(Http http, String... paths) {
            thread = new Thread(() -> {
                while (running) {
                    for (String path : paths) {
                        try {
                            Http.Answer a = http.get(path);
                            if (a.status() != 200) {
                                failures.add(path + " -> " + a);
                            }
                        } catch (RuntimeException e) {
                            failures.add(path + " -> " + e);
                        }
                        calls.incrementAndGet();
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "poller");
            thread.start();
        }

        int calls() {
            return calls.get();
        }

        java.util.List<String> failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
