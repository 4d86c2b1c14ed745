package io.switchboard.itest.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped {@code switchboard.jar} started as its own process, exactly as an operator starts
 * it ({@code java -jar switchboard.jar}), with a home folder and environment variables.
 */
public final class RunningServer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;
    private final Http http;

    private RunningServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.http = new Http(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** Starts the runtime in {@code home} with the given extra environment; does not wait. */
    public static RunningServer start(Path home, Map<String, String> env) throws IOException {
        return start(home, env, List.of());
    }

    /** Starts the runtime in {@code home} with extra environment and JVM options; does not wait. */
    public static RunningServer start(Path home, Map<String, String> env, List<String> jvmOptions) throws IOException {
        int port = SwitchboardTestSupport.freePort();
        Files.createDirectories(home);
        Path log = home.resolve("server-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(RuntimeImage.get().jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SWITCHBOARD_HOME", home.toString());
        builder.environment().put("SWITCHBOARD_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(env);
        return new RunningServer(builder.start(), log, port);
    }

    public Http http() {
        return http;
    }

    public int port() {
        return port;
    }

    /** Waits until {@code GET /health} answers 200. */
    public RunningServer awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                Http.Answer answer = http.get("health");
                if (answer.status() == 200) {
                    return this;
                }
                last = answer;
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            sleep(100);
        }
        throw new AssertionError("no 200 from /health within " + timeout + "; last: " + last + "\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The process id (a job's worker names it). */
    public long pid() {
        return process.pid();
    }

    /** Kills the process at once ({@code kill -9}): no shutdown hook, no cleanup, runs under way simply stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the process the way an operator does (SIGTERM) and waits for it to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
