package io.switchboard.core.rest.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.BodyTooLargeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs around every HTTP request: gives it a request id (from {@code X-Request-Id} when sane),
 * echoes it, puts it in the log context, and refuses request bodies over their path's limit
 * ({@code max.body.bytes}, or {@code streaming.max.body.bytes} on the streaming paths) before
 * anything reads them (413 problem+json), counting the bytes of chunked bodies too: the one place
 * where body limits are kept.
 *
 * <p>A request body (outside the streaming paths) is read here, without blocking a thread, before
 * the API sees the request: CXF reads bodies with blocking reads, so a client that sends its body
 * slowly, or stops halfway, would otherwise hold one of the server's threads, and a few dozen such
 * clients (no session needed: {@code POST /v1/sessions} takes a body) would stall the whole
 * server. The body is read with a {@link ReadListener} into memory (it is at most
 * {@code max.body.bytes}); once complete, the request is dispatched again ({@link DispatcherType#ASYNC})
 * and the API reads the kept bytes. A body not complete within {@code body.timeout.ms} answers 408.
 * Only servlets that support asynchronous processing are served this way (the JAX-RS application);
 * others (the Web Console) keep blocking reads. Any other whiteboard filter that must see API calls
 * with a body has to be registered for the {@code ASYNC} dispatch too: the first pass ends here.
 */
@Designate(ocd = RestConfig.class)
@Component(
        service = Filter.class,
        configurationPid = RestConfig.PID,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true", // the proxy answers asynchronously
            // REQUEST for every call, ASYNC for the second pass of a call whose body was read first
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_DISPATCHER + "=REQUEST",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_DISPATCHER + "=ASYNC",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=*)",
            "service.ranking:Integer=1000"
        })
public class RequestFilter implements Filter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestFilter.class);
    /** How far past the limit a declared body is still read (and dropped) before the 413. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    /** The request attribute carrying a body read ahead to the second pass. */
    private static final String BODY = RequestFilter.class.getName() + ".body";
    /** The request attribute carrying that body's share of the budget, given back after the second pass. */
    private static final String SLOT = RequestFilter.class.getName() + ".slot";
    private final long maxBody;
    private final long streamingMaxBody;
    private final long bodyTimeout;
    private final String[] streamingPaths;
    private final BodyBudget budget;

    @Activate
    public RequestFilter(RestConfig config) {
        this.maxBody = config.max_body_bytes();
        this.streamingMaxBody = config.streaming_max_body_bytes();
        this.bodyTimeout = Math.max(1, config.body_timeout_ms());
        this.streamingPaths = config.streaming_paths();
        this.budget = new BodyBudget(config.buffered_bodies_max_bytes(), config.max_unfinished_bodies_per_client(),
                config.path_max_body_bytes());
    }

    private boolean streaming(HttpServletRequest request) {
        String uri = request.getRequestURI();
        for (String prefix : streamingPaths) {
            if (uri != null && StreamingPaths.matches(prefix, uri)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            Object body = request.getAttribute(BODY);
            if (!(body instanceof byte[])) {
                chain.doFilter(req, res); // another component's asynchronous dispatch
                return;
            }
            request.removeAttribute(BODY);
            String requestId = response.getHeader(Switchboard.REQUEST_ID_HEADER); // set by the first pass
            RequestContext.begin(requestId);
            try {
                proceed(new BodyRequests.Kept(request, (byte[]) body), response, chain, requestId);
            } finally {
                RequestContext.end();
                if (request.getAttribute(SLOT) instanceof BodyBudget.Slot slot) {
                    slot.close();
                }
            }
            return;
        }
        String requestId = RequestContext.accept(request.getHeader(Switchboard.REQUEST_ID_HEADER));
        RequestContext.begin(requestId);
        try {
            response.setHeader(Switchboard.REQUEST_ID_HEADER, requestId);
            if (streaming(request)) {
                streamed(request, response, chain, requestId);
                return;
            }
            if (!supportedCharset(request.getCharacterEncoding())) {
                // Refused before any body is read or decoded (it used to fail inside the API as a 503).
                response.setHeader("Connection", "close");
                Problems.write(response, Problems.forStatus(415, "the request's charset is not supported; send UTF-8"),
                        request.getRequestURI(), requestId);
                return;
            }
            long declared = request.getContentLengthLong();
            long limit = budget.limit(request.getRequestURI(), maxBody);
            if (refusedUnread(request, response, requestId, declared, limit)) {
                return;
            }
            boolean body = hasBody(request, declared);
            if (body && request.isAsyncSupported()) {
                readAhead(request, response, requestId, declared, limit);
                return;
            }
            if (declared > limit) {
                // A servlet without asynchronous support (the Web Console, which checks its credentials
                // before it reads a body): a moderately oversized body is read and dropped the blocking way.
                request.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                Problems.write(response, BodyTooLargeException.problem(limit), request.getRequestURI(), requestId);
                return;
            }
            // No body announced, or a servlet that cannot go asynchronous: the limit counts what is read.
            proceed(new BodyRequests.Limited(request, limit), response, chain, requestId);
        } finally {
            RequestContext.end();
        }
    }

    /**
     * A streaming path (the proxy): its owner reads the body as it streams it on, through a
     * stream that counts against the path's limit ({@link BodyTooLargeException}); a declared
     * length over the limit is answered here, as on every other path, before the owner runs.
     */
    private void streamed(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String requestId)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (refusedUnread(request, response, requestId, declared, streamingMaxBody)) {
            return;
        }
        if (declared > streamingMaxBody && request.isAsyncSupported()) {
            readAhead(request, response, requestId, declared, streamingMaxBody); // read and dropped, then 413
            return;
        }
        boolean body = hasBody(request, declared);
        // without a body (most proxied calls) there is nothing to count: the request goes on unwrapped
        proceed(body ? new BodyRequests.Limited(request, streamingMaxBody) : request, response, chain, requestId);
    }

    /** Whether a body comes: a declared length, or a chunked one (no length) announced by Transfer-Encoding. */
    private static boolean hasBody(HttpServletRequest request, long declared) {
        return declared > 0 || declared < 0 && request.getHeader("Transfer-Encoding") != null;
    }

    /** A declared body too far over the limit is refused unread; the connection is closed so the unread body does not linger. */
    private static boolean refusedUnread(HttpServletRequest request, HttpServletResponse response, String requestId, long declared,
                                         long limit) throws IOException {
        if (declared <= limit + DRAIN_LIMIT) {
            return false;
        }
        response.setHeader("Connection", "close");
        Problems.write(response, BodyTooLargeException.problem(limit), request.getRequestURI(), requestId);
        return true;
    }

    private void readAhead(HttpServletRequest request, HttpServletResponse response, String requestId, long declared, long limit)
            throws IOException {
        BodyBudget.Slot slot;
        try {
            slot = budget.open(request.getRemoteAddr());
        } catch (ProblemException tooMany) {
            response.setHeader("Connection", "close"); // the body is not read
            tooMany.headers().forEach(response::setHeader);
            Problems.write(response, tooMany, request.getRequestURI(), requestId);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(bodyTimeout);
        BodyReader reader = new BodyReader(async, request, response, requestId, declared, limit, slot);
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    /** Whether a request's declared charset (none is fine) is one this JVM can decode. */
    static boolean supportedCharset(String name) {
        if (name == null) {
            return true;
        }
        try {
            return Charset.isSupported(name);
        } catch (IllegalArgumentException illegalName) {
            return false;
        }
    }

    private void proceed(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String requestId)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // Reached only for failures outside JAX-RS (e.g. a request that arrives while the
            // application is being rebuilt); still answer problem+json, never an HTML page.
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setHeader(Switchboard.REQUEST_ID_HEADER, requestId);
            response.setHeader("Retry-After", "1");
            LOG.warn("Request failed outside the API (correlation id {}): {}", requestId, e.toString());
            Problems.write(response, new ProblemException(503, "unavailable", "Service Unavailable",
                    "the server could not handle the request now; retry shortly (correlation id " + requestId + ")",
                    java.util.Map.of("correlationId", requestId)), request.getRequestURI(), requestId);
        }
    }

    /**
     * Reads a request body as it arrives, on the container's threads, none of them waiting: up to
     * {@code max.body.bytes} it is kept, and the request is then dispatched again with it; a
     * larger one is read and dropped (up to {@link #DRAIN_LIMIT} more) and answered 413; one not
     * complete in time is answered 408. Either answer closes the connection when the body was not
     * read to its end.
     */
    private final class BodyReader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final String requestId;
        private final ServletInputStream in;
        private final byte[] buffer = new byte[8192];
        private final long limit;
        private final BodyBudget.Slot slot;
        private ByteArrayOutputStream body; // null once the body outgrew the limit
        private long count;
        private boolean ended;

        BodyReader(AsyncContext async, HttpServletRequest request, HttpServletResponse response, String requestId, long declared,
                   long limit, BodyBudget.Slot slot) throws IOException {
            this.async = async;
            this.limit = limit;
            this.slot = slot;
            this.request = request;
            this.response = response;
            this.requestId = requestId;
            this.in = request.getInputStream();
            this.body = declared > limit ? null : new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), 16 * 1024));
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return; // onAllDataRead() follows
                }
                ProblemException busy = null;
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    count += n;
                    if (count <= limit && body != null) {
                        try {
                            slot.reserve(n); // the global budget of kept bodies
                            body.write(buffer, 0, n);
                            continue;
                        } catch (ProblemException spent) {
                            ended = true;
                            busy = spent;
                        }
                    }
                }
                if (busy != null) {
                    body = null;
                    respond(busy, true);
                    return;
                }
                synchronized (this) {
                    body = null;
                    if (count <= limit + DRAIN_LIMIT) {
                        continue; // read and dropped, so a client still sending gets the 413 rather than a reset
                    }
                    ended = true;
                }
                respond(BodyTooLargeException.problem(limit), true);
                return;
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            byte[] complete;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                complete = body == null ? null : body.toByteArray();
            }
            if (complete == null) {
                respond(BodyTooLargeException.problem(limit), false); // read to its end: the connection can stay
                return;
            }
            slot.received();
            request.setAttribute(BODY, complete);
            request.setAttribute(SLOT, slot);
            async.dispatch();
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or broke the body off: nothing useful can be answered.
            slot.close();
            if (end()) {
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (!end()) {
                return;
            }
            respond(new ProblemException(408, "request-timeout", "Request Timeout",
                    "the request body did not arrive within " + bodyTimeout + " ms"), true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            slot.close(); // also given back after the second pass; whichever comes first
        }

        @Override
        public void onError(AsyncEvent event) {
            slot.close();
            if (end()) {
                async.complete();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // the API may go asynchronous itself after the dispatch; nothing to follow then
        }

        private synchronized boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            return true;
        }

        private void respond(ProblemException problem, boolean close) throws IOException {
            RequestContext.begin(requestId);
            try {
                if (close) {
                    response.setHeader("Connection", "close"); // the rest of the body is not read
                }
                problem.headers().forEach(response::setHeader);
                Problems.write(response, problem, request.getRequestURI(), requestId);
            } finally {
                slot.close();
                RequestContext.end();
                async.complete();
            }
        }
    }
}
