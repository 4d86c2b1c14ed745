package io.switchboard.core.tokens.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.NetworkAddresses;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP client for token, identity and revocation endpoints (Jetty's): no redirects
 * followed, no cookies kept, connect and total timeouts. Every host is resolved once per
 * connection and must resolve only to public addresses, and the connection goes to exactly
 * those addresses (S16: no DNS rebinding between the check and the connect), unless the test-only
 * {@code allow.private.addresses} is set.
 */
final class UpstreamClient implements Upstream, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade", "content-type");

    private final HttpClient http;
    private final Duration timeout;

    UpstreamClient(Duration timeout, boolean allowPrivate) {
        this.timeout = timeout;
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 5000)));
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(new HttpField("User-Agent", "Switchboard"));
        http.setSocketAddressResolver(allowPrivate ? new SocketAddressResolver.Sync() : UpstreamClient::resolvePublic);
        try {
            http.start();
            // No protocol handlers (start() installs them): a 401 with or without WWW-Authenticate,
            // a redirect or an upgrade is the caller's to see, not Jetty's to act on.
            http.getProtocolHandlers().clear();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    private static void resolvePublic(String host, int port, org.eclipse.jetty.util.Promise<java.util.List<java.net.InetSocketAddress>> promise) {
        try {
            promise.succeeded(NetworkAddresses.publicSocketAddresses(host, port));
        } catch (IOException e) {
            promise.failed(e);
        }
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
