package io.switchboard.core.server.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.rest.api.ServletProblems;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the Felix Web Console (docs/security.md S23), which has no CSRF protection of its own
 * and signs in with Basic credentials a browser resends by itself:
 * <ul>
 * <li>a state-changing request ({@code POST}, {@code PUT}, {@code DELETE}, ...) whose {@code Origin}
 *     (or, without one, {@code Referer}) names another host than the request's own is refused
 *     (403 {@code cross-origin-request}), so a hostile page visited by a signed-in operator
 *     cannot post forms to it; clients that send neither header (scripts, curl) are not browsers
 *     and pass;</li>
 * <li>every console answer forbids framing ({@code X-Frame-Options: DENY}, CSP
 *     {@code frame-ancestors 'none'});</li>
 * <li>failed sign-ins are limited per client address: after {@code max.failed.signins} in a row
 *     the client is locked out (429 with {@code Retry-After}, whatever it sends) for
 *     {@code lockout.seconds}, doubling with each further lockout up to 15 minutes.</li>
 * </ul>
 * A {@link Preprocessor}, because the console checks credentials in its servlet context before
 * any whiteboard filter runs.
 */
@Designate(ocd = ConsoleGuard.Config.class)
@Component(service = Preprocessor.class, configurationPid = ConsoleGuard.Config.PID)
public class ConsoleGuard implements Preprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGuard.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    /** Beyond this many tracked clients, entries with no lockout running are forgotten first. */
    private static final int MAX_CLIENTS = 10_000;

    @ObjectClassDefinition(name = "Switchboard Web Console guard", description = "Cross-origin, framing and sign-in limits of the Web Console")
    @interface Config {
        String PID = "switchboard.console";

        @AttributeDefinition(description = "The Web Console's root path (felix.webconsole.manager.root)")
        String root() default "/system/console";

        @AttributeDefinition(description = "Failed sign-ins in a row after which a client address is locked out")
        int max_failed_signins() default 5;

        @AttributeDefinition(description = "The first lockout, in seconds; each further one doubles, up to 15 minutes")
        int lockout_seconds() default 60;

        @AttributeDefinition(description = "Origins allowed besides the request's own host (a reverse proxy that rewrites Host), "
                + "e.g. https://console.example.com")
        String[] allowed_origins() default {};
    }

    private static final class Client {
        int failures;
        int lockouts;
        Instant lockedUntil = Instant.EPOCH;
    }

    private final String root;
    private final int maxFailures;
    private final Duration lockout;
    private final List<String> allowedOrigins;
    private final Clock clock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    private final ServletProblems problems;

    @Activate
    public ConsoleGuard(@Reference ServletProblems problems, Config config) {
        this(problems, config, Clock.systemUTC());
    }

    ConsoleGuard(ServletProblems problems, Config config, Clock clock) {
        this.problems = problems;
        this.root = config.root().endsWith("/") ? config.root().substring(0, config.root().length() - 1) : config.root();
        this.maxFailures = Math.max(1, config.max_failed_signins());
        this.lockout = Duration.ofSeconds(Math.max(1, config.lockout_seconds()));
        this.allowedOrigins = List.of(config.allowed_origins()).stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.clock = clock;
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // nothing to set up
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String uri = request.getRequestURI();
        if (uri == null || !(uri.equals(root) || uri.startsWith(root + "/"))) {
            chain.doFilter(req, res);
            return;
        }
        String address = request.getRemoteAddr();
        Instant now = clock.instant();
        Client client = clients.get(address);
        if (client != null && now.isBefore(client.lockedUntil)) {
            long wait = Math.max(1, Duration.between(now, client.lockedUntil).toSeconds());
            problems.send(request, response, new ProblemException(429, "too-many-sign-in-failures", "Too many failed sign-ins",
                    "too many failed sign-ins from this address; try again in " + wait + " s").withHeader("Retry-After", String.valueOf(wait))
                    .withHeader("Connection", "close")); // a body it sent is not read
            return;
        }
        if (!SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT)) && !sameOrigin(request)) {
            LOG.warn("Refused a cross-origin {} to the Web Console from {}", request.getMethod(), address);
            problems.send(request, response, new ProblemException(403, "cross-origin-request", "Cross-origin request refused",
                    "the Web Console accepts changes only from its own pages").withHeader("Connection", "close")); // its body is not read
            return;
        }
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(req, res);
        if (request.getHeader("Authorization") != null) {
            if (response.getStatus() == 401) {
                failed(address, now);
            } else if (response.getStatus() < 400) {
                clients.remove(address);
            }
        }
    }

    private void failed(String address, Instant now) {
        if (clients.size() >= MAX_CLIENTS) {
            clients.values().removeIf(c -> !now.isBefore(c.lockedUntil) && c.lockouts == 0);
        }
        Client client = clients.computeIfAbsent(address, a -> new Client());
        synchronized (client) {
            client.failures++;
            if (client.failures >= maxFailures) {
                Duration wait = lockout.multipliedBy(1L << Math.min(10, client.lockouts));
                client.lockedUntil = now.plus(wait.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : wait);
                client.lockouts++;
                client.failures = 0;
                LOG.warn("Web Console sign-in: {} failures in a row from {}, locked out until {}", maxFailures, address, client.lockedUntil);
            }
        }
    }

    /** The Origin (or Referer) names the request's own host, or one configured; absent both, not a browser. */
    private boolean sameOrigin(HttpServletRequest request) {
        String sent = request.getHeader("Origin") != null ? request.getHeader("Origin") : request.getHeader("Referer");
        if (sent == null) {
            return true;
        }
        String origin = sent.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(stripPath(origin))) {
            return true;
        }
        String host = request.getHeader("Host");
        try {
            URI uri = URI.create(origin);
            if (host == null || uri.getHost() == null) {
                return false;
            }
            String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return authority.equals(host.toLowerCase(Locale.ROOT)) || withDefaultPort(uri).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false; // "null" and other garbage
        }
    }

    private static String withDefaultPort(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private static String stripPath(String url) {
        int slash = url.indexOf('/', url.indexOf("//") + 2);
        return slash < 0 ? url : url.substring(0, slash);
    }

    @Override
    public void destroy() {
        clients.clear();
    }
}
