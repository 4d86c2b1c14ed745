package io.switchboard.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The base of every fake of a third-party service: a real HTTP server on a free loopback port
 * that tests start and stop. A fake adds routes; a test can make the next calls misbehave
 * ({@link #failNext}), slow every answer down ({@link #latency}), and read what the fake received
 * ({@link #requests()}).
 */
public class FakeServer implements AutoCloseable {

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        FakeResponse handle(FakeRequest request) throws IOException;
    }

    private record Route(String method, String pathPrefix, Handler handler) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    /** Appended to by every request (a copy-on-write list made a sync of 10,000 messages quadratic). */
    private final List<FakeRequest> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final Deque<FakeResponse> scripted = new ArrayDeque<>();
    private volatile Duration latency = Duration.ZERO;

    /** Starts a fake on 127.0.0.1 with a free port. */
    private final java.util.Map<String, Long> large = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong largeBytesSent = new java.util.concurrent.atomic.AtomicLong();

    static {
        // The JDK's server writes headers and body apart; without TCP_NODELAY each answer can wait
        // ~40 ms for the client's delayed ACK, which made request-per-message clients look slow.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public FakeServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port", e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-" + getClass().getSimpleName());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Adds a route: the first route whose method matches ({@code *} for any) and whose path starts with the prefix answers. */
    public FakeServer route(String method, String pathPrefix, Handler handler) {
        routes.add(new Route(method, pathPrefix, handler));
        return this;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Serves {@code bytes} bytes of a repeating pattern at exactly this path, streamed in 64 KiB
     * chunks without holding the body in memory (for large-response tests).
     */
    public FakeServer largeBody(String path, long bytes) {
        large.put(path, bytes);
        return this;
    }

    /**
     * Bytes of {@link #largeBody} and {@link FakeResponse#streamed} responses the fake has written to its sockets so far: a caller
     * that stops reading makes this stop growing once every buffer between them is full, unless
     * something in between keeps the whole body.
     */
    public long largeBytesSent() {
        return largeBytesSent.get();
    }

    /** The byte at {@code offset} of a {@link #largeBody} response. */
    public static byte largeBodyByte(long offset) {
        return (byte) (offset % 251);
    }

    /** The next {@code count} requests get {@code response} instead of their route's answer. */
    public void failNext(int count, FakeResponse response) {
        synchronized (scripted) {
            for (int i = 0; i < count; i++) {
                scripted.add(response);
            }
        }
    }

    /** Every answer waits this long first (zero by default). */
    public void latency(Duration delay) {
        this.latency = delay;
    }

    /** What the fake has received so far, in order. */
    public List<FakeRequest> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Forgets the received requests, scripted failures and latency. */
    public void reset() {
        received.clear();
        synchronized (scripted) {
            scripted.clear();
        }
        latency = Duration.ZERO;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            FakeRequest request = read(exchange);
            received.add(request);
            Long size = large.get(request.path());
            if (size != null) {
                streamLarge(exchange, size);
                return;
            }
            FakeResponse response;
            synchronized (scripted) {
                response = scripted.poll();
            }
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            if (response == null) {
                response = dispatch(request);
            }
            write(exchange, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FakeResponse dispatch(FakeRequest request) throws IOException {
        for (Route route : routes) {
            if ((route.method.equals("*") || route.method.equalsIgnoreCase(request.method()))
                    && request.path().startsWith(route.pathPrefix)) {
                return route.handler.handle(request);
            }
        }
        return FakeResponse.json(404, "{\"error\":\"not_found\"}");
    }

    private void streamLarge(HttpExchange exchange, long size) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            writeLargeBody(counted(out), 0, size);
        }
    }

    /** Writes {@code size} bytes of the {@link #largeBody} pattern from {@code offset} on, 64 KiB at a time. */
    public static void writeLargeBody(OutputStream out, long offset, long size) throws IOException {
        byte[] chunk = new byte[65536];
        long sent = 0;
        while (sent < size) {
            int n = (int) Math.min(chunk.length, size - sent);
            for (int i = 0; i < n; i++) {
                chunk[i] = largeBodyByte(offset + sent + i);
            }
            out.write(chunk, 0, n);
            sent += n;
        }
    }

    /** The first {@code size} bytes of the {@link #largeBody} pattern, in memory (for small seeds). */
    public static byte[] largeBodyBytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = largeBodyByte(i);
        }
        return bytes;
    }

    /** The output stream with its bytes counted in {@link #largeBytesSent}. */
    private OutputStream counted(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                largeBytesSent.addAndGet(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                largeBytesSent.incrementAndGet();
            }
        };
    }

    private static FakeRequest read(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        return new FakeRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private void write(HttpExchange exchange, FakeResponse response) throws IOException {
        response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, new ArrayList<>(values)));
        if (response.stream() != null) {
            exchange.sendResponseHeaders(response.status(), response.length());
            try (OutputStream out = exchange.getResponseBody()) {
                response.stream().writeTo(counted(out));
            }
            return;
        }
        byte[] body = response.body();
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
