package io.switchboard.testkit.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fake answers: a body held whole, or one written as it goes ({@link #streamed}).
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body the body bytes (empty for a streamed answer)
 * @param stream writes the body as it goes, or {@code null}
 * @param length a streamed body's exact length
 */
public record FakeResponse(int status, Map<String, List<String>> headers, byte[] body, Stream stream, long length) {

    /** A body written as it goes. */
    @FunctionalInterface
    public interface Stream {
        void writeTo(OutputStream out) throws IOException;
    }

    public FakeResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, null, body.length);
    }

    public static FakeResponse json(int status, String json) {
        return of(status, "application/json", json);
    }

    public static FakeResponse of(int status, String contentType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        return new FakeResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    public static FakeResponse empty(int status) {
        return new FakeResponse(status, Map.of(), new byte[0]);
    }

    /**
     * An answer of exactly {@code length} bytes that {@code stream} writes as the client reads
     * (the socket's back-pressure holds it); the bytes count in {@link FakeServer#largeBytesSent}.
     */
    public static FakeResponse streamed(int status, String contentType, long length, Stream stream) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        return new FakeResponse(status, headers, new byte[0], stream, length);
    }

    /** A copy with one more header. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(name, List.of(value));
        return new FakeResponse(status, copy, body, stream, length);
    }
}
