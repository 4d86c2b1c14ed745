package io.switchboard.core.proxy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.api.connector.NetworkAddresses;
import io.switchboard.core.identity.api.AppDirectory;
import io.switchboard.core.identity.api.SessionPrincipal;
import io.switchboard.core.identity.api.Sessions;
import io.switchboard.core.tokens.api.OutboundHttp;
import io.switchboard.core.tokens.api.TokenVault;
import io.switchboard.core.tokens.api.TokenVault.AccessToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public class ProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "/v1/proxy/";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServlet.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("switchboard.proxy.audit");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~ ,-]{0,1000}");
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final Set<String> BODYLESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    private final transient Sessions sessions;
    private final transient TokenVault vault;
    private final transient AppDirectory apps;
    private final transient ProxyMetrics metrics;
    private final transient HttpClient client;
    private final transient Budgets budgets = new Budgets();
    private final long maxBody;
    private final int replayBody;
    private final long responseTimeout;
    private final boolean audit;

    @Activate
    public ProxyServlet(@Reference Sessions sessions, @Reference TokenVault vault, @Reference AppDirectory apps,
                        @Reference ProxyMetrics metrics, ProxyConfig config) {
        this.sessions = sessions;
        this.vault = vault;
        this.apps = apps;
        this.metrics = metrics;
        this.maxBody = config.max_body_bytes();
        this.replayBody = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, config.replay_body_bytes()));
        this.responseTimeout = config.response_timeout_ms();
        this.audit = config.audit();
        this.client = OutboundHttp.start(java.time.Duration.ofMillis(config.connect_timeout_ms()), config.allow_private_addresses(),
                (client, connector) -> {
                    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
                    threads.setName("switchboard-proxy");
                    connector.setExecutor(threads);
                    client.setExecutor(threads);
                    client.setIdleTimeout(config.idle_timeout_ms());
                    client.setMaxConnectionsPerDestination(config.max_connections_per_host());
                    client.setMaxRequestsQueuedPerDestination(4096);
                    client.setUserAgentField(null); // the add-in's own User-Agent passes through
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
        String connectorId = "unknown";
        String accountId = null;
        int status = 500;
        boolean upstreamError = false;
        String path = "";
        try {
            SessionPrincipal principal = sessions.authenticate(req.getHeader("Authorization"));
            cors(resp, origin, principal.appId());
            String uri = req.getRequestURI();
            String rest = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "";
            int slash = rest.indexOf('/');
            accountId = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash);
            if (!ACCOUNT_ID.matcher(accountId).matches()) {
                throw ProblemException.notFound("no such account");
            }
            AccessToken token = vault.accessTokenFor(principal.appId(), principal.userId(), accountId);
            connectorId = token.connectorId();
            ProxyTarget.Target target = ProxyTarget.resolve(token.baseUrl(), token.allowedHosts(), path, req.getQueryString());
            long wait = budgets.acquire(accountId, token.budget(), System.currentTimeMillis());
            if (wait > 0) {
                throw new ProblemException(429, "rate-limited", "Too Many Requests",
                        "the connector's request budget for this account is spent; retry later")
                        .withHeader("Retry-After", Long.toString((wait + 999) / 1000));
            }
            status = forward(req, resp, principal, token, target);
        } catch (ProblemException p) {
            status = p.status();
            upstreamError = status == 502 || status == 504;
            problem(req, resp, p);
        } catch (IOException | RuntimeException e) {
            if (resp.isCommitted()) {
                LOG.warn("proxied response for account {} broke off: {}", accountId, e.toString());
                status = 502;
                upstreamError = true;
            } else {
                String requestId = resp.getHeader(Switchboard.REQUEST_ID_HEADER);
                LOG.error("proxy call failed (correlation id {})", requestId, e);
                status = 500;
                problem(req, resp, new ProblemException(500, "internal-error", "Internal Server Error",
                        "the proxy failed; correlation id " + requestId, java.util.Map.of("correlationId", String.valueOf(requestId))));
            }
        } finally {
            long elapsed = System.nanoTime() - started;
            metrics.record(connectorId, status, elapsed, upstreamError);
            if (audit) {
                AUDIT.info("proxy {} account={} connector={} path={} status={} ms={}", req.getMethod(), accountId, connectorId,
                        path, status, elapsed / 1_000_000);
            }
        }
    }

    private int forward(HttpServletRequest req, HttpServletResponse resp, SessionPrincipal principal, AccessToken token,
                        ProxyTarget.Target target)
            throws IOException {
        String method = req.getMethod();
        long declared = req.getContentLengthLong();
        if (declared > maxBody) {
            if (declared <= maxBody + DRAIN_LIMIT) {
                // Read and drop a moderately oversized body, so the client (still sending) sees the 413
                // instead of a connection closed under it; larger ones are refused unread.
                req.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
            throw new ProblemException(413, "payload-too-large", "Payload Too Large", "proxied bodies are limited to " + maxBody + " bytes");
        }
        boolean announced = declared > 0 || req.getHeader("Transfer-Encoding") != null;
        InputStream in = req.getInputStream();
        byte[] head = announced ? in.readNBytes(replayBody + 1) : new byte[0];
        boolean hasBody = head.length > 0 || !BODYLESS.contains(method);
        boolean replayable = head.length <= replayBody;
        InputStream rest = replayable ? null : new SequenceInputStream(new ByteArrayInputStream(head), new LimitedInput(in, maxBody - head.length));

        Set<String> connection = Headers.connectionTokens(req.getHeader("Connection"));
        Response response;
        InputStreamResponseListener listener;
        AccessToken current = token;
        int attempt = 0;
        while (true) {
            attempt++;
            Request upstream = client.newRequest(target.host(), target.port()).scheme(target.scheme()).path(target.pathAndQuery())
                    .method(method);
            copyRequestHeaders(req, upstream, connection, current);
            if (hasBody) {
                String type = req.getContentType();
                upstream.body(replayable ? new BytesRequestContent(type, head) : new InputStreamRequestContent(type, rest));
            }
            listener = new InputStreamResponseListener();
            upstream.send(listener);
            try {
                response = listener.get(responseTimeout, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                upstream.abort(e);
                throw new ProblemException(504, "upstream-timeout", "Upstream timeout",
                        "the provider did not answer within " + responseTimeout + " ms");
            } catch (ExecutionException e) {
                throw unreachable(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProblemException(503, "unavailable", "Service Unavailable", "interrupted");
            }
            if (response.getStatus() == 401 && replayable && attempt == 1) {
                listener.getInputStream().close(); // discard the 401 body and free the connection
                current = vault.afterRejection(principal.appId(), token.accountId(), current);
                continue;
            }
            break;
        }
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
        try (InputStream body = listener.getInputStream()) {
            if (!"HEAD".equals(method)) {
                OutputStream out = resp.getOutputStream();
                body.transferTo(out);
            }
        }
        return response.getStatus();
    }

    private static void copyRequestHeaders(HttpServletRequest req, Request upstream, Set<String> connection, AccessToken token) {
        upstream.headers(h -> {
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


    private static ProblemException unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
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
        resp.addHeader("Vary", "Origin");
        if (apps.anyAppAllowsOrigin(origin)) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
            String requested = req.getHeader("Access-Control-Request-Headers");
            if (requested != null && HEADER_LIST.matcher(requested).matches()) {
                resp.setHeader("Access-Control-Allow-Headers", requested);
            }
            resp.setHeader("Access-Control-Max-Age", "600");
        }
    }

    private void cors(HttpServletResponse resp, String origin, String appId) {
        if (origin == null) {
            return;
        }
        resp.addHeader("Vary", "Origin");
        if (apps.find(appId).map(a -> a.allowedOrigins().contains(origin)).orElse(false)) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Expose-Headers", "*"); // no credentials, so every header can be exposed
        }
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

    /** A request body that may not grow past the proxy's limit while it streams. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && --left < 0) {
                throw new IOException("request body larger than the proxy's limit");
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new IOException("request body larger than the proxy's limit");
            }
            return n;
        }
    }
}
