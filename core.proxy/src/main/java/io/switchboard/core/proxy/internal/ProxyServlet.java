package io.switchboard.core.proxy.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.outbound.api.Relay;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.CallerResolver;
import io.switchboard.core.rest.api.CorsPolicy;
import io.switchboard.core.rest.api.CorsPolicy.Surface;
import io.switchboard.core.rest.api.ServletProblems;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ANY /v1/proxy/{accountId}/{path}}: the add-in's call, forwarded to the account's API
 * with the stored token, as transparently as a reverse proxy. A plain servlet on the HTTP
 * Whiteboard (no JAX-RS on this path): it answers CORS, resolves the session and the account's
 * token here, and hands the call to {@link ProviderCalls#relay}, which streams
 * both ways without holding a thread and retries once after a 401 and a refresh. Each call ends
 * in the metrics and, when {@code audit} is on, in one audit line.
 */
@Designate(ocd = ProxyConfig.class)
@Component(service = Servlet.class, configurationPid = ProxyConfig.PID)
@HttpWhiteboardServletPattern(ProxyServlet.PREFIX + "*")
@HttpWhiteboardServletAsyncSupported
public class ProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "/v1/proxy/";
    private static final Logger AUDIT = LoggerFactory.getLogger("switchboard.proxy.audit");
    private static final java.util.Set<String> REFUSED_METHODS = java.util.Set.of("TRACE", "CONNECT");

    private final transient CallerResolver callers;
    private final transient TokenVault vault;
    private final transient CorsPolicy cors;
    private final transient ProxyMetrics metrics;
    private final transient ProviderCalls calls;
    private final transient ServletProblems problems;
    private final int replayBody;
    private final long responseTimeout;
    private final boolean audit;

    @Activate
    public ProxyServlet(@Reference CallerResolver callers, @Reference TokenVault vault, @Reference CorsPolicy cors,
                        @Reference ProxyMetrics metrics, @Reference ProviderCalls calls, @Reference ServletProblems problems,
                        ProxyConfig config) {
        this.callers = callers;
        this.vault = vault;
        this.cors = cors;
        this.metrics = metrics;
        this.calls = calls;
        this.problems = problems;
        this.replayBody = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, config.replay_body_bytes()));
        this.responseTimeout = config.response_timeout_ms();
        this.audit = config.audit();
    }

    /** What the audit line and the metrics need of one call. */
    private final class Ending implements Relay.Listener {
        private final HttpServletRequest req;
        private final long started;
        String accountId;
        String path = "";
        String connectorId = "unknown";

        Ending(HttpServletRequest req, long started) {
            this.req = req;
            this.started = started;
        }

        @Override
        public void ended(int status, boolean upstreamError) {
            long elapsed = System.nanoTime() - started;
            metrics.record(connectorId, status, elapsed, upstreamError);
            if (audit) {
                AUDIT.info("proxy {} account={} connector={} path={} status={} ms={}", req.getMethod(), accountId, connectorId,
                        path, status, elapsed / 1_000_000);
            }
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(Switchboard.HANDLED_ATTRIBUTE, Boolean.TRUE);
        long started = System.nanoTime();
        String origin = req.getHeader("Origin");
        if ("OPTIONS".equals(req.getMethod()) && origin != null && req.getHeader("Access-Control-Request-Method") != null) {
            resp.setStatus(204);
            cors.preflight(Surface.PROXY, origin, req.getHeader("Access-Control-Request-Headers")).forEach(resp::setHeader);
            return;
        }
        Ending ending = new Ending(req, started);
        if (REFUSED_METHODS.contains(req.getMethod())) {
            // TRACE would echo the provider's token back to the add-in; CONNECT is not a call to an API
            resp.setHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            answer(req, resp, new ProblemException(405, "method-not-allowed", "Method Not Allowed",
                    req.getMethod() + " is not proxied"), ending);
            return;
        }
        try {
            Caller caller = callers.session(req.getHeader("Authorization"));
            cors.response(Surface.PROXY, origin, caller.appId()).forEach(resp::setHeader);
            String uri = req.getRequestURI();
            String rest = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "";
            int slash = rest.indexOf('/');
            ending.accountId = slash < 0 ? rest : rest.substring(0, slash);
            ending.path = slash < 0 ? "" : rest.substring(slash);
            if (!accountId(ending.accountId)) {
                throw ProblemException.notFound("no such account");
            }
            AccessToken token = vault.accessTokenFor(caller.appId(), caller.userId(), ending.accountId);
            ending.connectorId = token.connectorId();
            calls.relay(req, resp, new Relay(token, rejected -> vault.afterRejection(caller.appId(), rejected.accountId(), rejected),
                    ending.path, req.getQueryString(), replayBody, responseTimeout, ending));
        } catch (ProblemException p) {
            answer(req, resp, p, ending);
        } catch (IOException | RuntimeException e) {
            try {
                problems.sendUnexpected(req, resp, e);
            } finally {
                ending.ended(500, false);
            }
        }
    }

    /** A call refused before it was relayed. */
    private void answer(HttpServletRequest req, HttpServletResponse resp, ProblemException p, Ending ending) throws IOException {
        try {
            problems.send(req, resp, p);
        } finally {
            ending.ended(p.status(), false);
        }
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
}
