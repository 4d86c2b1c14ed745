package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream target of a relayed call: the account's base URL + the path after the account id
 * + the query, exactly as sent (percent-encoding preserved). The path can never change the host
 * ({@link UpstreamPaths}: what is appended can only extend the base's path); the base's host must
 * be one the connector allows for the account. A base URL is parsed once and remembered (at most
 * {@link #MAX_BASES} of them); the call's own part is checked character by character.
 */
final class RelayTargets {
    static final int MAX_BASES = 10_000;

    /**
     * Where a call goes: {@code pathAndQuery} is raw, as the add-in sent it; {@code origin} and
     * {@code hostHeader} are parsed once per base URL (the HTTP client then never builds a URI).
     */
    record Target(URI origin, String hostHeader, String host, String pathAndQuery) {
        URI uri() {
            return URI.create(origin + pathAndQuery);
        }
    }

    private record Base(URI origin, String hostHeader, String host, String path) {}

    private final Map<String, Base> bases = new ConcurrentHashMap<>();

    Target resolve(String baseUrl, Set<String> allowedHosts, String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        String problem = UpstreamPaths.problem(path, rawQuery);
        if (problem != null) {
            throw invalid(problem);
        }
        Base base = base(baseUrl);
        if (!allowedHosts.contains(base.host())) {
            throw new ProblemException(403, "host-not-allowed", "Host not allowed",
                    "the connector does not allow calls to this account's host");
        }
        return new Target(base.origin(), base.hostHeader(), base.host(), base.path() + path + (rawQuery == null ? "" : "?" + rawQuery));
    }

    private Base base(String baseUrl) {
        Base known = bases.get(baseUrl);
        if (known != null) {
            return known;
        }
        URI uri = URI.create(baseUrl);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ProblemException(502, "upstream-misconfigured", "Account base URL not usable",
                    "the account's base URL is not an http(s) URL without user, query or fragment");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT); // an IPv6 literal keeps its brackets
        boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (scheme.equals("https") ? 443 : 80);
        String authority = defaultPort ? host : host + ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        Base base = new Base(URI.create(scheme + "://" + authority), authority, host, path);
        if (bases.size() >= MAX_BASES) {
            bases.clear(); // bounded: a server with more accounts than this parses a base again now and then
        }
        bases.put(baseUrl, base);
        return base;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-proxy-path", "Invalid proxy path", detail);
    }
}
