package io.switchboard.core.rest.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs around every HTTP request: gives it a request id (from {@code X-Request-Id} when sane),
 * echoes it, puts it in the log context, and refuses request bodies over the configured size
 * before anything reads them (413 problem+json), counting the bytes of chunked bodies too.
 */
@Designate(ocd = RestConfig.class)
@Component(
        service = Filter.class,
        configurationPid = RestConfig.PID,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true", // the proxy answers asynchronously
            HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=*)",
            "service.ranking:Integer=1000"
        })
public class RequestFilter implements Filter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestFilter.class);
    /** How far past the limit a declared body is still read (and dropped) before the 413. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private final long maxBody;
    private final String[] streamingPaths;

    @Activate
    public RequestFilter(RestConfig config) {
        this.maxBody = config.max_body_bytes();
        this.streamingPaths = config.streaming_paths();
    }

    private boolean streaming(HttpServletRequest request) {
        String uri = request.getRequestURI();
        for (String prefix : streamingPaths) {
            if (uri != null && uri.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String requestId = RequestContext.accept(request.getHeader(Switchboard.REQUEST_ID_HEADER));
        RequestContext.begin(requestId);
        try {
            response.setHeader(Switchboard.REQUEST_ID_HEADER, requestId);
            boolean streaming = streaming(request);
            long declared = request.getContentLengthLong();
            if (!streaming && declared > maxBody) {
                if (declared <= maxBody + DRAIN_LIMIT) {
                    // A moderately oversized body is read and dropped first: a client still sending it
                    // then reads the 413 instead of meeting a connection closed under it.
                    request.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } else {
                    // Refused unread; the connection is closed so the unread body does not linger.
                    response.setHeader("Connection", "close");
                }
                write(response, tooLarge(), request.getRequestURI(), requestId);
                return;
            }
            try {
                chain.doFilter(streaming ? request : new LimitedRequest(request, maxBody), response);
            } catch (IOException | ServletException | RuntimeException e) {
                // Reached only for failures outside JAX-RS (e.g. a request that arrives while the
                // application is being rebuilt); still answer problem+json, never an HTML page.
                if (response.isCommitted()) {
                    throw e;
                }
                response.reset();
                response.setHeader(Switchboard.REQUEST_ID_HEADER, requestId);
                LOG.warn("Request failed outside the API (correlation id {}): {}", requestId, e.toString());
                write(response, new ProblemException(503, "unavailable", "Service Unavailable",
                        "the server could not handle the request now; retry shortly (correlation id " + requestId + ")",
                        java.util.Map.of("correlationId", requestId)), request.getRequestURI(), requestId);
            }
        } finally {
            RequestContext.end();
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "payload-too-large", "Payload Too Large",
                "request bodies are limited to " + maxBody + " bytes");
    }

    static void write(HttpServletResponse response, ProblemException problem, String instance, String requestId)
            throws IOException {
        byte[] body = Problems.body(problem, instance, requestId).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Thrown while reading a body that grew past the limit; mapped to 413. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long limit) {
            super("request bodies are limited to " + limit + " bytes");
        }
    }

    /** Counts body bytes as they are read, for bodies without (or with a lying) Content-Length. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
