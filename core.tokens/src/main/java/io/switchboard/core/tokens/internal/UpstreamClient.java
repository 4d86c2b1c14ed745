package io.switchboard.core.tokens.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.tokens.api.OutboundHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;

/**
 * The HTTP client for token, identity and revocation endpoints: an {@link OutboundHttp} client
 * (no redirects, no cookies, the SSRF rule at connection time) with a total timeout per call.
 */
final class UpstreamClient implements Upstream, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade", "content-type");

    private final HttpClient http;
    private final Duration timeout;

    UpstreamClient(Duration timeout, boolean allowPrivate) {
        this.timeout = timeout;
        this.http = OutboundHttp.start(Duration.ofMillis(Math.min(timeout.toMillis(), 5000)), allowPrivate,
                (client, connector) -> client.setUserAgentField(new HttpField("User-Agent", "Switchboard")));
    }


    @Override
    public Response send(Request request) throws IOException {
        org.eclipse.jetty.client.Request r = http.newRequest(request.url()).method(request.method())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String contentType = null;
        boolean accept = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = h.getValue();
            }
            accept |= name.equals("accept");
            if (!RESTRICTED.contains(name)) {
                r.headers(fields -> fields.add(h.getKey(), h.getValue()));
            }
        }
        if (!accept) {
            r.headers(fields -> fields.add("Accept", "application/json"));
        }
        if (request.body() != null) {
            r.body(new StringRequestContent(contentType == null ? "application/octet-stream" : contentType, request.body()));
        }
        try {
            ContentResponse response = r.send();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField f : response.getHeaders()) {
                headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
            }
            return new Response(response.getStatus(), headers, response.getContentAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
        }
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        if (json == null || json.isBlank()) {
            throw new IOException("empty response body");
        }
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping is best effort
        }
    }
}
