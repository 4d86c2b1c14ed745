package io.switchboard.testkit.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fake answers.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body the body bytes
 */
public record FakeResponse(int status, Map<String, List<String>> headers, byte[] body) {

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

    /** A copy with one more header. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(name, List.of(value));
        return new FakeResponse(status, copy, body);
    }
}
