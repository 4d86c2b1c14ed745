package io.switchboard.itest.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code src/test/js} (providers' own JavaScript SDKs, from the npm registry,
 * pinned by its package-lock.json) with Node's test runner against the server under test. The
 * first run installs the packages ({@code npm ci}).
 */
public final class ProviderSdks {
    private ProviderSdks() {}

    /** Runs {@code node --test <script>} with the server's base URL, a session and an account; fails with its output. */
    public static void run(String script, Http http, String session, String accountId) throws IOException, InterruptedException {
        Path dir = folder();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            String out = exec(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 600);
            assertThat(Files.isDirectory(dir.resolve("node_modules"))).as("npm ci: " + out).isTrue();
        }
        String base = http.base().toString().replaceAll("/+$", "");
        exec(dir, List.of("node", "--test", script), Map.of("SB_BASE", base, "SB_SESSION", session, "SB_ACCOUNT", accountId), 180);
    }

    private static Path folder() {
        String basedir = System.getProperty("basedir");
        Path dir = Path.of(basedir == null ? "." : basedir).resolve("src/test/js");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("distribution/src/test/js");
        }
        return dir.toAbsolutePath();
    }

    private static String exec(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("switchboard-sdk-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished && p.exitValue() == 0).as(String.join(" ", command) + " in " + dir + ":\n" + out).isTrue();
        return out;
    }
}
