import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Build step (mvn package, distribution module): writes {@code target/switchboard.jsa}, a dynamic
 * AppCDS archive of the classes that a start of {@code switchboard.jar} loads (the framework's
 * and the bundles'), so that later starts map them instead of reading, parsing and verifying them
 * again (README command 1 passes it with {@code -XX:SharedArchiveFile}).
 *
 * <p>It starts the jar once in a scratch home folder on a free loopback port with
 * {@code -XX:ArchiveClassesAtExit}, waits for the first 200 from {@code /health} and a few
 * answers more, and stops it; the JVM writes the archive as it exits. The archive is an
 * optimisation only: the JVM checks it against the jar and the JVM build and ignores it when they
 * differ. So a failure here warns and leaves no archive rather than failing the build.
 *
 * <p>Usage: {@code java CdsArchive.java <switchboard.jar> <archive> <scratch dir> "<jvm options>"} (the options
 * space-separated, as the {@code switchboard.jvm.options} property of the pom holds them)
 */
public final class CdsArchive {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path archive = Path.of(args[1]).toAbsolutePath();
        Path home = Path.of(args[2]).toAbsolutePath();
        Files.deleteIfExists(archive);
        List<String> jvmOptions = args.length > 3 ? List.of(args[3].trim().split("\\s+")) : List.of();
        String problem = train(jar, archive, home, jvmOptions);
        if (problem != null) {
            Files.deleteIfExists(archive);
            System.out.println("[WARNING] no class-data archive (" + problem + "): switchboard.jar starts without it, only slower");
        } else {
            System.out.printf("[INFO] class-data archive %s (%d MiB)%n", archive, Files.size(archive) >> 20);
        }
    }

    private static String train(Path jar, Path archive, Path home, List<String> jvmOptions) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.add("-jar");
        command.add(jar.toString());
        if (Files.isDirectory(home)) { // a fresh start each time: an earlier build's database may not suit this one's schemas
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
        builder.environment().put("SWITCHBOARD_HOME", home.toString());
        builder.environment().put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
        builder.environment().put("SWITCHBOARD_CONSOLE_PASSWORD", "cds-training");
        Process server = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (status(http, base + "/health") != 200) {
                if (!server.isAlive()) {
                    return "the training start exited with " + server.exitValue() + ", see " + home.resolve("server.log");
                }
                if (System.nanoTime() > deadline) {
                    return "no 200 from /health within 120 s";
                }
                Thread.sleep(100);
            }
            // The first answers of the public paths load their classes too.
            for (String path : List.of("/health", "/openapi.json", "/v1/me", "/v1/proxy/none/x", "/no-such-path")) {
                status(http, base + path);
            }
            Thread.sleep(2000); // the connector bundles from deploy/ start just after the first 200
        } finally {
            server.destroy(); // SIGTERM: the JVM runs its exit path, which writes the archive
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                return "the training start did not stop within 60 s";
            }
        }
        return Files.isRegularFile(archive) ? null : "the JVM wrote no archive, see " + home.resolve("server.log");
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
