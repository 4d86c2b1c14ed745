package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.outbound.api.Relay;
import io.switchboard.core.rest.api.BodyTooLargeException;
import io.switchboard.core.rest.api.ServletProblems;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.servlet.AsyncContext;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed call: it goes asynchronous and returns, so no thread waits for the add-in's body
 * or for the provider. The body is read as it arrives ({@link RequestBodyReader}), the upstream
 * exchange starts when it is complete or outgrows the replay buffer, and the client's callbacks
 * relay the answer ({@link UpstreamExchange}) and end the call, once ({@link #end}).
 */
final class RelayedCall {
    private static final Logger LOG = LoggerFactory.getLogger(RelayedCall.class);

    final HttpServletRequest req;
    final HttpServletResponse resp;
    final Relay relay;
    final RelayTargets.Target target;
    final HttpClient client;
    final String requestId;
    private final ServletProblems problems;
    AsyncContext async;

    RelayedCall(HttpServletRequest req, HttpServletResponse resp, Relay relay, RelayTargets.Target target, HttpClient client,
                ServletProblems problems) {
        this.req = req;
        this.resp = resp;
        this.relay = relay;
        this.target = target;
        this.client = client;
        this.problems = problems;
        this.requestId = resp.getHeader(Switchboard.REQUEST_ID_HEADER);
    }

    /**
     * Starts the call: from here on it ends through {@link #fail} or {@link #end}. The body's
     * limit is the edge's: a declared length over it never reaches here, and the stream the body
     * is read from throws {@link BodyTooLargeException} when a streamed one outgrows it.
     */
    void start() throws IOException {
        boolean announced = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        Set<String> connection = Headers.connectionTokens(req.getHeader("Connection"));
        async = req.startAsync();
        async.setTimeout(0); // the exchange's own timeouts apply
        UpstreamExchange exchange = new UpstreamExchange(this, connection);
        if (!announced) {
            exchange.sendBuffered(new byte[0]);
            return;
        }
        ServletInputStream in = req.getInputStream();
        in.setReadListener(new RequestBodyReader(exchange, in, req.getContentType(), relay.replayBodyBytes()));
    }

    /** Ends the call with a problem answer (or a broken-off response when already committed). */
    void fail(Throwable failure) {
        int status;
        boolean upstreamError;
        try {
            if (failure instanceof ProblemException p) {
                status = p.status();
                upstreamError = status == 502 || status == 504;
                problems.send(req, resp, p);
            } else if (resp.isCommitted()) {
                brokeOff(failure);
                return;
            } else {
                status = 500;
                upstreamError = false;
                problems.sendUnexpected(req, resp, failure);
            }
        } catch (IOException | RuntimeException e) {
            status = 502;
            upstreamError = true;
        }
        end(status, upstreamError);
    }

    /** Ends a call whose answer had started: it can only be broken off. */
    void brokeOff(Throwable failure) {
        LOG.warn("relayed response for account {} broke off: {}", relay.token().accountId(), failure.toString());
        end(502, true);
    }

    void end(int status, boolean upstreamError) {
        try {
            relay.listener().ended(status, upstreamError);
        } finally {
            if (async != null) {
                async.complete();
            }
        }
    }

    /** The problem for a provider that could not be reached or did not answer. */
    ProblemException unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge.problem();
            }
            if (t instanceof NetworkAddresses.NotPublicException) {
                return NetworkAddresses.NotPublicException.problem();
            }
        }
        if (cause instanceof TimeoutException) {
            return new ProblemException(504, "upstream-timeout", "Upstream timeout", "the provider did not answer in time");
        }
        String what = cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof UnresolvedAddressException ? "could not be reached" : "failed";
        return new ProblemException(502, "upstream-unreachable", "Upstream unreachable", "the provider " + what);
    }
}
