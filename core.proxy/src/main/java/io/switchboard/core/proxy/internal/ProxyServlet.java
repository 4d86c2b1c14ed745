package io.switchboard.core.proxy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.api.connector.NetworkAddresses;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CallerResolver;
import io.switchboard.core.rest.api.CorsPolicy.Surface;
import io.switchboard.core.rest.api.CorsPolicy;
import io.switchboard.core.tokens.api.CallBudgets;
import io.switchboard.core.tokens.api.OutboundHttp;
import io.switchboard.core.tokens.api.TokenVault.AccessToken;
import io.switchboard.core.tokens.api.TokenVault;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.AsyncContext;
import javax.servlet.ReadListener;
import javax.servlet.Servlet;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code ANY /v1/proxy/{accountId}/{path}}: the add-in's call, forwarded to the account's API
 * with the stored token, as transparently as a reverse proxy. A plain servlet on the HTTP
 * Whiteboard (no JAX-RS on this path) with Jetty's {@link HttpClient} upstream: pooled
 * connections, no redirects followed, no content decoding, bodies streamed both ways. A request
 * body up to {@code replay.body.bytes} is kept so that a 401 can be answered by one token
 * refresh and one retry.
 */
@Designate(ocd = ProxyConfig.class)
@Component(service = Servlet.class, configurationPid = ProxyConfig.PID)
@HttpWhiteboardServletPattern(ProxyServlet.PREFIX + "*")
@HttpWhiteboardServletAsyncSupported
public class ProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "/v1/proxy/";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServlet.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("switchboard.proxy.audit");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    private final transient CallerResolver callers;
    private final transient TokenVault vault;
    private final transient CorsPolicy cors;
    private final transient ProxyMetrics metrics;
    private final transient HttpClient client;
    private final transient CallBudgets budgets;
    private final long maxBody;
    private final int replayBody;
    private final long responseTimeout;
    private final boolean audit;

    @Activate
    public ProxyServlet(@Reference CallerResolver callers, @Reference TokenVault vault, @Reference CorsPolicy cors,
                        @Reference ProxyMetrics metrics, @Reference CallBudgets budgets, ProxyConfig config) {
        this.budgets = budgets;
        this.callers = callers;
        this.vault = vault;
        this.cors = cors;
        this.metrics = metrics;
        this.maxBody = config.max_body_bytes();
        this.replayBody = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, config.replay_body_bytes()));
        this.responseTimeout = config.response_timeout_ms();
        this.audit = config.audit();
        this.client = OutboundHttp.start(java.time.Duration.ofMillis(config.connect_timeout_ms()), config.allow_private_addresses(),
                (client, connector) -> {
                    int max = Math.max(4, config.client_threads());
                    QueuedThreadPool threads = new QueuedThreadPool(max, Math.min(4, max));
                    threads.setName("switchboard-proxy");
                    connector.setExecutor(threads);
                    client.setExecutor(threads);
                    client.setIdleTimeout(config.idle_timeout_ms());
                    client.setMaxConnectionsPerDestination(config.max_connections_per_host());
                    client.setMaxRequestsQueuedPerDestination(4096);
                    client.setUserAgentField(null); // the add-in's own User-Agent passes through
                    client.setUseInputDirectByteBuffers(false); // answers are copied into the servlet output: from heap buffers
                });
        // Bodies pass through as the provider encoded them (start() installs a gzip decoder).
        client.getContentDecoderFactories().clear();
    }

    @Deactivate
    void stop() throws Exception {
        client.stop();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long started = System.nanoTime();
        String origin = req.getHeader("Origin");
        if ("OPTIONS".equals(req.getMethod()) && origin != null && req.getHeader("Access-Control-Request-Method") != null) {
            preflight(req, resp, origin);
            return;
        }
        Call call = new Call(req, resp, started);
        try {
            Caller principal = callers.session(req.getHeader("Authorization"));
            cors(resp, origin, principal.appId());
            String uri = req.getRequestURI();
            String rest = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "";
            int slash = rest.indexOf('/');
            call.accountId = slash < 0 ? rest : rest.substring(0, slash);
            call.path = slash < 0 ? "" : rest.substring(slash);
            if (!accountId(call.accountId)) {
                throw ProblemException.notFound("no such account");
            }
            AccessToken token = vault.accessTokenFor(principal.appId(), principal.userId(), call.accountId);
            call.connectorId = token.connectorId();
            ProxyTarget.Target target = ProxyTarget.resolve(token.baseUrl(), token.allowedHosts(), call.path, req.getQueryString());
            budgets.spend(call.accountId, token.budget());
            forward(call, principal, token, target);
        } catch (ProblemException p) {
            call.fail(p);
        } catch (IOException | RuntimeException e) {
            call.fail(e);
        }
    }

    /**
     * Goes asynchronous and returns: no thread waits for the add-in's body or for the provider.
     * The body is read as it arrives ({@link BodyReader}), the upstream exchange starts when it
     * is complete or outgrows the replay buffer, and the client's callbacks relay the answer
     * ({@link Exchange}) and complete the request.
     */
    private void forward(Call call, Caller principal, AccessToken token, ProxyTarget.Target target) throws IOException {
        HttpServletRequest req = call.req;
        String method = req.getMethod();
        long declared = req.getContentLengthLong();
        if (declared > maxBody) {
            if (declared > maxBody + DRAIN_LIMIT) {
                throw tooLarge(); // refused unread
            }
            // A moderately oversized body is read and dropped first, so the client (still sending) sees
            // the 413 instead of a connection closed under it; read as it arrives, holding no thread.
            call.async = req.startAsync();
            call.async.setTimeout(0); // a client that stops sending meets the connection's idle timeout
            ServletInputStream in = req.getInputStream();
            in.setReadListener(new Drain(call, in));
            return;
        }
        boolean announced = declared > 0 || req.getHeader("Transfer-Encoding") != null;
        Set<String> connection = Headers.connectionTokens(req.getHeader("Connection"));
        call.async = req.startAsync();
        call.async.setTimeout(0); // the exchange's own timeouts apply
        Exchange exchange = new Exchange(call, principal, token, target, method, connection);
        if (!announced) {
            exchange.sendBuffered(new byte[0]);
            return;
        }
        ServletInputStream in = req.getInputStream();
        in.setReadListener(new BodyReader(exchange, in, req.getContentType()));
    }

    /**
     * Reads the add-in's request body without blocking a thread (an add-in that sends slowly holds
     * none): up to {@code replay.body.bytes} it is kept, and the call starts once it is complete
     * (a 401 can then be retried with it); a larger one is streamed to the provider as it
     * arrives, the next piece read only once the provider's side has taken the previous one.
     */
    private final class BodyReader implements ReadListener, Callback {
        private final Exchange exchange;
        private final ServletInputStream in;
        private final String contentType;
        private java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        private final byte[] scratch = new byte[16 * 1024]; // for reads copied into head
        private AsyncRequestContent streaming; // once the body outgrew the replay buffer
        private long total;
        private boolean sending;   // a piece is with the provider's side, not yet taken
        private boolean pumping;
        private boolean done;

        BodyReader(Exchange exchange, ServletInputStream in, String contentType) {
            this.exchange = exchange;
            this.in = in;
            this.contentType = contentType;
        }

        @Override
        public void onDataAvailable() {
            pump();
        }

        private void pump() {
            AsyncRequestContent started = null;
            synchronized (this) {
                if (pumping || done) {
                    return;
                }
                pumping = true;
                try {
                    while (!sending && in.isReady()) {
                        // a streamed piece is kept by the provider's side until sent, so it gets its own array
                        byte[] piece = streaming == null ? scratch : new byte[16 * 1024];
                        int n = in.read(piece);
                        if (n < 0) {
                            break; // onAllDataRead() follows
                        }
                        total += n;
                        if (total > maxBody) {
                            throw new BodyTooLargeException(maxBody);
                        }
                        if (streaming == null) {
                            head.write(piece, 0, n);
                            if (head.size() > replayBody) {
                                streaming = new AsyncRequestContent(contentType);
                                started = streaming;
                                sending = true;
                                streaming.write(ByteBuffer.wrap(head.toByteArray()), this);
                                head = null;
                            }
                        } else {
                            sending = true;
                            streaming.write(ByteBuffer.wrap(piece, 0, n), this);
                        }
                    }
                } catch (IOException e) {
                    done = true;
                    if (streaming != null) {
                        streaming.fail(e);
                    } else {
                        exchange.call.fail(e instanceof BodyTooLargeException ? tooLarge() : unreadable());
                    }
                } finally {
                    pumping = false;
                }
            }
            if (started != null) {
                exchange.sendStreaming(started);
            }
        }

        /** The provider's side took the last piece. */
        @Override
        public void succeeded() {
            synchronized (this) {
                sending = false;
                if (pumping) {
                    return; // taken at once: the loop in pump() goes on
                }
            }
            pump();
        }

        @Override
        public void failed(Throwable failure) {
            synchronized (this) {
                done = true; // the upstream call failed; it ends the call
            }
        }

        @Override
        public void onAllDataRead() {
            byte[] body;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                if (streaming != null) {
                    streaming.close();
                    return;
                }
                body = head.toByteArray();
            }
            exchange.sendBuffered(body);
        }

        @Override
        public void onError(Throwable failure) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                if (streaming != null) {
                    streaming.fail(failure);
                    return;
                }
            }
            exchange.call.fail(unreadable());
        }

        private ProblemException unreadable() {
            return new ProblemException(400, "invalid-body", "Bad Request", "the request body could not be read");
        }
    }

    /** Reads and drops a declared-too-large body without blocking a thread, then answers 413. */
    private final class Drain implements ReadListener {
        private final Call call;
        private final ServletInputStream in;
        private final byte[] scratch = new byte[16 * 1024];
        private boolean ended;

        Drain(Call call, ServletInputStream in) {
            this.call = call;
            this.in = in;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && in.read(scratch) >= 0) {
                // dropped
            }
        }

        @Override
        public void onAllDataRead() {
            if (end()) {
                call.fail(tooLarge());
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (end()) {
                call.end(413, false); // the client went away before its body was read: nothing to answer
            }
        }

        private synchronized boolean end() {
            boolean first = !ended;
            ended = true;
            return first;
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "payload-too-large", "Payload Too Large", "proxied bodies are limited to " + maxBody + " bytes");
    }

    /** A streamed request body that grew past {@code max.body.bytes}. */
    private static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long limit) {
            super("request body larger than the proxy's limit of " + limit + " bytes");
        }
    }

    /** One proxied call: what the audit line and the metrics need, and how it ends. */
    private final class Call {
        final HttpServletRequest req;
        final HttpServletResponse resp;
        final long started;
        final String requestId;
        AsyncContext async;
        String connectorId = "unknown";
        String accountId;
        String path = "";

        Call(HttpServletRequest req, HttpServletResponse resp, long started) {
            this.req = req;
            this.resp = resp;
            this.started = started;
            this.requestId = resp.getHeader(Switchboard.REQUEST_ID_HEADER);
        }

        /** Ends the call with a problem answer (or a broken-off response when already committed). */
        void fail(Throwable failure) {
            int status;
            boolean upstreamError;
            try {
                if (failure instanceof ProblemException p) {
                    status = p.status();
                    upstreamError = status == 502 || status == 504;
                    problem(req, resp, p);
                } else if (resp.isCommitted()) {
                    brokeOff(failure);
                    return;
                } else {
                    LOG.error("proxy call failed (correlation id {})", requestId, failure);
                    status = 500;
                    upstreamError = false;
                    problem(req, resp, new ProblemException(500, "internal-error", "Internal Server Error",
                            "the proxy failed; correlation id " + requestId, java.util.Map.of("correlationId", String.valueOf(requestId))));
                }
            } catch (IOException | RuntimeException e) {
                status = 502;
                upstreamError = true;
            }
            end(status, upstreamError);
        }

        /** Ends a call whose answer had started: it can only be broken off. */
        void brokeOff(Throwable failure) {
            LOG.warn("proxied response for account {} broke off: {}", accountId, failure.toString());
            end(502, true);
        }

        void end(int status, boolean upstreamError) {
            long elapsed = System.nanoTime() - started;
            metrics.record(connectorId, status, elapsed, upstreamError);
            if (audit) {
                AUDIT.info("proxy {} account={} connector={} path={} status={} ms={}", req.getMethod(), accountId, connectorId,
                        path, status, elapsed / 1_000_000);
            }
            if (async != null) {
                async.complete();
            }
        }
    }

    /**
     * The upstream side of a call, as Jetty client callbacks. Status and headers are copied to the
     * servlet response when they arrive; the body is relayed chunk by chunk with non-blocking
     * servlet writes: the next chunk is asked of the provider only when the add-in has taken the
     * previous one, so an add-in that stops reading holds no thread, and its provider connection
     * waits (TCP flow control). A first 401 with a replayable body is discarded and answered by one
     * refresh and one retry.
     */
    private final class Exchange implements Response.Listener, WriteListener {
        private final Call call;
        private final Caller principal;
        private final AccessToken original;
        private final ProxyTarget.Target target;
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

        Exchange(Call call, Caller principal, AccessToken token, ProxyTarget.Target target, String method, Set<String> connection) {
            this.call = call;
            this.principal = principal;
            this.original = token;
            this.target = target;
            this.method = method;
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
            Request upstream = client.newRequest(target.origin()).path(target.pathAndQuery()).method(method);
            copyRequestHeaders(call.req, upstream, connection, token, target.hostHeader());
            if (streaming != null) {
                upstream.body(streaming);
            } else if (head.length > 0 || !BODYLESS.contains(method)) {
                upstream.body(new BytesRequestContent(call.req.getContentType(), head));
            }
            timeout = client.getScheduler().schedule(() -> {
                if (!answered) {
                    upstream.abort(new TimeoutException("no answer within " + responseTimeout + " ms"));
                }
            }, responseTimeout, TimeUnit.MILLISECONDS);
            upstream.send(this);
        }

        @Override
        public void onHeaders(Response response) {
            answered = true;
            timeout.cancel();
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
            timeout.cancel();
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

        private void complete(Result result) {
            if (retry && !result.isFailed()) {
                try {
                    AccessToken fresh = vault.afterRejection(principal.appId(), original.accountId(), original);
                    send(fresh, 2);
                } catch (RuntimeException e) {
                    call.fail(e);
                }
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
                    call.fail(unreachable(result.getFailure()));
                }
            } else if (endNow) {
                call.end(result.getResponse().getStatus(), false);
            }
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


    /** {@code [A-Za-z0-9-]{1,64}}, without a regex on the hot path. */
    static boolean accountId(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private ProblemException unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return tooLarge();
            }
            if (t instanceof NetworkAddresses.NotPublicException) {
                return new ProblemException(403, "host-not-allowed", "Host not allowed",
                        "the account's host does not resolve to a public address");
            }
        }
        if (cause instanceof TimeoutException) {
            return new ProblemException(504, "upstream-timeout", "Upstream timeout", "the provider did not answer in time");
        }
        String what = cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof UnresolvedAddressException ? "could not be reached" : "failed";
        return new ProblemException(502, "upstream-unreachable", "Upstream unreachable", "the provider " + what);
    }

    private void preflight(HttpServletRequest req, HttpServletResponse resp, String origin) {
        resp.setStatus(204);
        cors.preflight(Surface.PROXY, origin, req.getHeader("Access-Control-Request-Headers")).forEach(resp::setHeader);
    }

    private void cors(HttpServletResponse resp, String origin, String appId) {
        cors.response(Surface.PROXY, origin, appId).forEach(resp::setHeader);
    }

    private static void problem(HttpServletRequest req, HttpServletResponse resp, ProblemException p) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        String requestId = resp.getHeader(Switchboard.REQUEST_ID_HEADER);
        String cors = resp.getHeader("Access-Control-Allow-Origin");
        String expose = resp.getHeader("Access-Control-Expose-Headers");
        resp.reset();
        if (requestId != null) {
            resp.setHeader(Switchboard.REQUEST_ID_HEADER, requestId);
        }
        if (cors != null) {
            resp.setHeader("Access-Control-Allow-Origin", cors);
            resp.setHeader("Access-Control-Expose-Headers", expose);
            resp.setHeader("Vary", "Origin");
        }
        p.headers().forEach(resp::setHeader);
        byte[] body = JSON.writeValueAsBytes(p.body(req.getRequestURI(), requestId));
        resp.setStatus(p.status());
        resp.setContentType("application/problem+json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
