package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.outbound.api.Relay;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.MDC;

/**
 * The upstream side of a call, as Jetty client callbacks. Status and headers are copied to the
 * servlet response when they arrive; the body is relayed chunk by chunk with non-blocking
 * servlet writes: the next chunk is asked of the provider only when the add-in has taken the
 * previous one, so an add-in that stops reading holds no thread, and its provider connection
 * waits (TCP flow control). A first 401 with a replayable body is discarded and answered by one
 * refresh and one retry.
 */
final class UpstreamExchange implements Response.Listener, WriteListener {
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    final RelayedCall call;
    private final AccessToken original;
    private final String method;
    private final Set<String> connection;
    private byte[] head;                      // a body kept for a retry (replayable), or null
    private AsyncRequestContent streaming;    // a body streamed once, or null
    private int attempt;
    private boolean retry;
    private volatile boolean answered;
    private Scheduler.Task timeout;
    private volatile Response upstreamResponse;
    // the body relay, guarded by this
    private ServletOutputStream out;
    private Content.Chunk waiting;   // received, not yet handed to the servlet output
    private Runnable demand;         // asks the provider for the next chunk
    private Content.Chunk inFlight;  // handed to the servlet output, write not yet completed
    private byte[] copy;             // the bytes of inFlight, when its buffer has no accessible array
    private Result finished;         // the provider's answer is complete; end once the writes are out
    private boolean ended;

    UpstreamExchange(RelayedCall call, Set<String> connection) {
        this.call = call;
        this.original = call.relay.token();
        this.method = call.req.getMethod();
        this.connection = connection;
    }

    /** Starts the call with the whole body at hand (possibly empty): a 401 can be retried with it. */
    void sendBuffered(byte[] body) {
        this.head = body;
        send(original, 1);
    }

    /** Starts the call with a body that streams as it arrives: sent once, never retried. */
    void sendStreaming(AsyncRequestContent body) {
        this.streaming = body;
        send(original, 1);
    }

    void send(AccessToken token, int attempt) {
        this.attempt = attempt;
        this.retry = false;
        this.answered = false;
        Relay relay = call.relay;
        Request upstream = call.client.newRequest(call.target.origin()).path(call.target.pathAndQuery()).method(method);
        copyRequestHeaders(call.req, upstream, connection, token, call.target.hostHeader());
        if (streaming != null) {
            upstream.body(streaming);
        } else if (head.length > 0 || !BODYLESS.contains(method)) {
            upstream.body(new BytesRequestContent(call.req.getContentType(), head));
        }
        // The wait for the answer starts once the request is out: a slow upload (an attachment from a
        // phone) is bounded by the connections' idle time-outs, not by this one.
        upstream.onRequestSuccess(sent -> startTimeout(upstream, relay.responseTimeoutMillis()));
        upstream.send(this);
    }

    private synchronized void startTimeout(Request upstream, long millis) {
        if (answered) {
            return;
        }
        timeout = call.client.getScheduler().schedule(() -> {
            if (!answered) {
                upstream.abort(new TimeoutException("no answer within " + millis + " ms"));
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    @Override
    public void onHeaders(Response response) {
        answered = true;
        cancelTimeout();
        upstreamResponse = response;
        if (response.getStatus() == 401 && streaming == null && attempt == 1) {
            retry = true; // the body is discarded; the connection is kept
            return;
        }
        HttpServletResponse resp = call.resp;
        resp.setStatus(response.getStatus());
        Set<String> upstreamConnection = Headers.connectionTokens(response.getHeaders().get("Connection"));
        for (HttpField field : response.getHeaders()) {
            if (Headers.returnDownstream(field.getName(), upstreamConnection)) {
                resp.addHeader(field.getName(), field.getValue());
            }
        }
        long length = response.getHeaders().getLongField("Content-Length");
        if (length >= 0) {
            resp.setContentLengthLong(length);
        }
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) throws IOException {
        if (retry || "HEAD".equals(method) || !chunk.hasRemaining()) {
            demander.run();
            return;
        }
        chunk.retain(); // kept until the servlet output has written it
        synchronized (this) {
            waiting = chunk;
            demand = demander;
            if (out == null) {
                out = call.resp.getOutputStream();
                out.setWriteListener(this); // the container then calls onWritePossible()
                return;
            }
        }
        pump();
    }

    @Override
    public void onWritePossible() throws IOException {
        pump();
    }

    @Override
    public void onError(Throwable failure) {
        // the add-in went away: give up on the provider's answer
        Response upstream = upstreamResponse;
        if (upstream != null) {
            upstream.abort(failure);
        }
    }

    /**
     * Moves the relay on, one chunk at a time: a waiting chunk is written when the output is
     * ready; once its write has completed the chunk is released and the provider is asked for
     * the next; the call ends when the provider's answer is complete and the last write is out.
     */
    private void pump() throws IOException {
        Runnable next = null;
        Result end = null;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (inFlight == null && waiting != null && out.isReady()) {
                write(waiting.getByteBuffer());
                inFlight = waiting;
                waiting = null;
            }
            if (inFlight != null && out.isReady()) { // isReady() false: onWritePossible() follows the write
                inFlight.release();
                inFlight = null;
                next = demand;
                demand = null;
            }
            if (inFlight == null && waiting == null && finished != null) {
                ended = true;
                end = finished;
            }
        }
        if (next != null) {
            next.run();
        }
        if (end != null) {
            call.end(end.getResponse().getStatus(), false);
        }
    }

    /**
     * Hands a chunk to the servlet output, which takes arrays. Jetty's chunks are read-only
     * views, so the bytes are copied, into one array per call: it is free again once the
     * previous write has completed, which is when pump() writes the next chunk.
     */
    private void write(ByteBuffer content) throws IOException {
        if (content.hasArray()) {
            out.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
            return;
        }
        int n = content.remaining();
        if (copy == null || copy.length < n) {
            copy = new byte[n];
        }
        content.get(copy, 0, n);
        out.write(copy, 0, n);
    }

    @Override
    public void onComplete(Result result) {
        cancelTimeout();
        // on the client's thread: log lines carry the call's request id too
        if (call.requestId != null) {
            MDC.put(Switchboard.REQUEST_ID_MDC, call.requestId);
        }
        try {
            complete(result);
        } finally {
            MDC.remove(Switchboard.REQUEST_ID_MDC);
        }
    }

    private void retryWithFreshToken() {
        if (call.requestId != null) {
            MDC.put(Switchboard.REQUEST_ID_MDC, call.requestId);
        }
        try {
            send(call.relay.afterRejection().apply(original), 2);
        } catch (RuntimeException e) {
            call.fail(e);
        } finally {
            MDC.remove(Switchboard.REQUEST_ID_MDC);
        }
    }

    private void complete(Result result) {
        if (retry && !result.isFailed()) {
            // The refresh may wait for the row lock and the token endpoint, whose answer this same
            // client reads: it runs on a container thread, never on one of the client's.
            call.async.start(this::retryWithFreshToken);
            return;
        }
        boolean relaying;
        boolean endNow = false;
        synchronized (this) {
            relaying = out != null;
            if (result.isFailed()) {
                ended = true;
                if (waiting != null) {
                    waiting.release();
                    waiting = null;
                }
                inFlight = null; // not released: the servlet output may still hold its bytes
            } else if (waiting != null || inFlight != null) {
                finished = result; // the last write is still going out; pump() ends the call
            } else {
                ended = true;
                endNow = true;
            }
        }
        if (result.isFailed()) {
            if (relaying || call.resp.isCommitted()) {
                call.brokeOff(result.getFailure()); // once the body has started, the answer can only be broken off
            } else {
                call.fail(call.unreachable(result.getFailure()));
            }
        } else if (endNow) {
            call.end(result.getResponse().getStatus(), false);
        }
    }

    private static void copyRequestHeaders(HttpServletRequest req, Request upstream, Set<String> connection, AccessToken token,
                                           String host) {
        upstream.headers(h -> {
            h.put(HttpHeader.HOST, host); // set here, the client does not build the request's URI to derive it
            Enumeration<String> names = req.getHeaderNames();
            while (names.hasMoreElements()) {
                String name = names.nextElement();
                if (Headers.forwardUpstream(name, connection)) {
                    Enumeration<String> values = req.getHeaders(name);
                    while (values.hasMoreElements()) {
                        h.add(name, values.nextElement());
                    }
                }
            }
            token.headers().forEach(h::put);
        });
    }
}
