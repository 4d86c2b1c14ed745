package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream target of a relayed call: the origin of the account's base URL + the path after
 * the account id, which is the provider's own root-relative path (as its documentation and SDKs
 * write it), + the query, exactly as sent (percent-encoding preserved). The path can never change
 * the host ({@link UpstreamPaths}: no dot segments, encoded slashes, {@code //} and the like) and
 * must start with one of the prefixes the connector lets the proxy reach; the base's host must be
 * one the connector allows for the account. A base URL is parsed once and remembered (at most
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

    private record Base(URI origin, String hostHeader, String host) {}

    private final Map<String, Base> bases = new ConcurrentHashMap<>();

    /**
     * @param proxyPaths the root-relative prefixes (each ending in {@code /}) the connector lets the proxy reach
     * @param rawPath the provider's path, still percent-encoded
     */
    Target resolve(String baseUrl, Set<String> allowedHosts, List<String> proxyPaths, String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        if (path.isEmpty()) {
            throw invalid("name the provider's path after the account id, as its API documentation writes it");
        }
        String problem = UpstreamPaths.problem(path, rawQuery);
        if (problem != null) {
            throw invalid(problem);
        }
        Base base = base(baseUrl);
        if (!allowedHosts.contains(base.host())) {
            throw new ProblemException(403, "host-not-allowed", "Host not allowed",
                    "the connector does not allow calls to this account's host");
        }
        if (!reachable(path, proxyPaths)) {
            throw new ProblemException(403, "path-not-allowed", "Path not allowed",
                    "the connector lets the proxy reach only paths under " + proxyPaths, Map.of("allowedPaths", proxyPaths));
        }
        return new Target(base.origin(), base.hostHeader(), base.host(), path + (rawQuery == null ? "" : "?" + rawQuery));
    }

    /** {@code /services/data/} admits {@code /services/data} and everything below it. */
    private static boolean reachable(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) {
                return true;
            }
        }
        return false;
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
        Base base = new Base(URI.create(scheme + "://" + authority), authority, host);
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
