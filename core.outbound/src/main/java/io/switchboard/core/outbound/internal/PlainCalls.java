package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;

/**
 * Calls on the shared client: a request with its body as text, a total timeout, the answer read
 * as text; or the answer handed over as it arrives ({@link #open}). Token requests, connectors' identity and revocation calls and the
 * unified APIs' calls all go through {@link #send(Upstream.Request, Duration)}; as an {@link Upstream}
 * it sends with its default timeout.
 */
final class PlainCalls implements Upstream {
    /** Computed by the client, or carried by the body. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade", "content-type");

    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout the longest wait for a whole answer of {@link #send(Upstream.Request)} */
    PlainCalls(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public Upstream.Response send(Upstream.Request request) throws IOException {
        return send(request, timeout);
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        return ProviderJson.object(json);
    }

    /** Sends a request; {@code Accept: application/json} and {@code User-Agent: Switchboard} unless the request names its own. */
    Upstream.Response send(Upstream.Request request, Duration timeout) throws IOException {
        return send(prepare(request), timeout);
    }

    /**
     * Sends a request whose body is read from {@code content} as it goes out ({@code length}
     * bytes, or -1: chunked); {@code timeout} bounds each pause, not the whole upload.
     */
    Upstream.Response upload(Upstream.Request request, InputStream content, long length, Duration timeout) throws IOException {
        String type = request.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type")).map(Map.Entry::getValue)
                .findFirst().orElse("application/octet-stream");
        org.eclipse.jetty.client.Request r = prepare(request).idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(new InputStreamRequestContent(type, content) {
                    @Override
                    public long getLength() {
                        return length;
                    }
                });
        return send(r, Duration.ofDays(1));
    }

    private Upstream.Response send(org.eclipse.jetty.client.Request prepared, Duration timeout) throws IOException {
        org.eclipse.jetty.client.Request r = prepared.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ContentResponse response = r.send();
            return new Upstream.Response(response.getStatus(), headers(response), response.getContentAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("the provider did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
        }
    }

    /**
     * Sends a request and hands its answer over once its head has come: the body is read from the
     * provider only as fast as the caller reads it (Jetty's {@link InputStreamResponseListener}
     * demands the next chunk when the last is consumed). {@code timeout} bounds the wait for the
     * head and each pause of the connection; {@code closed} runs once when the answer is closed.
     */
    AccountCalls.Streamed open(Upstream.Request request, Duration timeout, Runnable closed) throws IOException {
        org.eclipse.jetty.client.Request r = prepare(request).idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        r.send(listener);
        try {
            org.eclipse.jetty.client.Response response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            InputStream body = new FilterInputStream(listener.getInputStream()) {
                private final AtomicBoolean done = new AtomicBoolean();

                @Override
                public void close() throws IOException {
                    if (done.compareAndSet(false, true)) {
                        try {
                            super.close(); // before the end, this aborts the call
                        } finally {
                            closed.run();
                        }
                    }
                }
            };
            return new AccountCalls.Streamed(response.getStatus(), headers(response), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.abort(e);
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            r.abort(e);
            throw new IOException("the provider did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
        }
    }

    /** The request with its headers and body; {@code Accept: application/json} and {@code User-Agent: Switchboard} unless it names its own. */
    private org.eclipse.jetty.client.Request prepare(Upstream.Request request) {
        org.eclipse.jetty.client.Request r = http.newRequest(request.url()).method(request.method());
        String contentType = null;
        boolean accept = false;
        boolean agent = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                contentType = h.getValue();
            }
            accept |= name.equals("accept");
            agent |= name.equals("user-agent");
            if (!RESTRICTED.contains(name)) {
                r.headers(fields -> fields.add(h.getKey(), h.getValue()));
            }
        }
        if (!accept) {
            r.headers(fields -> fields.add("Accept", "application/json"));
        }
        if (!agent) {
            r.headers(fields -> fields.add("User-Agent", "Switchboard"));
        }
        if (request.body() != null) {
            r.body(new StringRequestContent(contentType == null ? "application/octet-stream" : contentType, request.body()));
        }
        return r;
    }

    private static Map<String, List<String>> headers(org.eclipse.jetty.client.Response response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField f : response.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        return headers;
    }
}
