package io.switchboard.core.tokens.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP client for token, identity and revocation endpoints: no redirects followed, connect
 * and total timeouts, HTTP/1.1 or HTTP/2 as the server offers.
 */
final class UpstreamClient implements Upstream {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private final HttpClient http;
    private final Duration timeout;

    UpstreamClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 5000)))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response send(Request request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout);
        request.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                b.header(k, v);
            }
        });
        if (!request.headers().keySet().stream().anyMatch("accept"::equalsIgnoreCase)) {
            b.header("Accept", "application/json");
        }
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body()));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        if (json == null || json.isBlank()) {
            throw new IOException("empty response body");
        }
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }
}
