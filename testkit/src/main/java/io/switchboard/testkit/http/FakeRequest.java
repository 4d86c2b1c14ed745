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

    /** The query parameters, decoded (the first value of each name). */
    public Map<String, String> queryParams() {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                q.putIfAbsent(name, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    /** The body as a (mutable) JSON object, or {@code null} when it is not one. */
    public Map<String, Object> jsonObject() {
        try {
            return new java.util.LinkedHashMap<>(com.nimbusds.jose.util.JSONObjectUtils.parse(bodyText()));
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }
}
