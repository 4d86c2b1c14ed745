package io.switchboard.testkit.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request as a fake received it.
 *
 * @param method the HTTP method
 * @param path the raw (still encoded) path
 * @param query the raw query string, or {@code null}
 * @param headers the headers, names case-insensitive
 * @param body the body bytes (empty when none)
 */
public record FakeRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
