package io.switchboard.core.server.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.ServletProblems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * No HTML from the API, even while the JAX-RS application is being rebuilt: a request that no
 * part of Switchboard took (no {@link Switchboard#HANDLED_ATTRIBUTE}: CXF's servlet answering
 * "No service was found." in HTML while the whiteboard redeploys the application) is answered
 * 503 {@code unavailable} with {@code Retry-After} as problem+json instead. What such a request's
 * servlet writes is dropped; the Web Console (HTML by nature) is left alone.
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_DISPATCHER + "=REQUEST",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_DISPATCHER + "=ASYNC",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=*)",
    "service.ranking:Integer=900" // inside the edge's RequestFilter (1000): it has read the body and set the request id
})
public class UnservedRequests implements Filter {
    private static final String CONSOLE = "/system/console";
    private final ServletProblems problems;

    @Activate
    public UnservedRequests(@Reference ServletProblems problems) {
        this.problems = problems;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String uri = request.getRequestURI();
        if (uri != null && uri.startsWith(CONSOLE)) {
            chain.doFilter(req, res);
            return;
        }
        Guarded guarded = new Guarded(request, (HttpServletResponse) res);
        chain.doFilter(req, guarded);
        if (guarded.dropped && !res.isCommitted()) {
            problems.send(request, (HttpServletResponse) res, new ProblemException(503, "unavailable", "Service Unavailable",
                    "the API is starting or being rebuilt; retry shortly").withHeader("Retry-After", "1"));
        }
    }

    /** Passes everything through once Switchboard took the request; drops what anything else writes. */
    private static final class Guarded extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        boolean dropped;

        Guarded(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        private boolean unserved() {
            if (request.getAttribute(Switchboard.HANDLED_ATTRIBUTE) == null) {
                dropped = true;
            }
            return dropped;
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (!unserved()) {
                super.sendError(sc, msg);
            }
        }

        @Override
        public void sendError(int sc) throws IOException {
            if (!unserved()) {
                super.sendError(sc);
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return unserved() ? DISCARD : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return unserved() ? new PrintWriter(OutputStream.nullOutputStream()) : super.getWriter();
        }
    }

    private static final ServletOutputStream DISCARD = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            // never asynchronous
        }

        @Override
        public void write(int b) {
            // dropped
        }
    };
}
