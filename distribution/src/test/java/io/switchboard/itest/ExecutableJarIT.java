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
                    .containsExactly("schema_history_config", "schema_history_identity", "schema_history_linking",
                            "schema_history_store", "schema_history_vault");
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
