package io.switchboard.core.outbound.internal;

import java.util.Locale;
import java.util.Set;

/** Which headers cross the proxy (RFC 9110 §7.6.1 hop-by-hop headers never do). */
final class Headers {
    private Headers() {}

    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "trailers", "transfer-encoding", "upgrade", "proxy-connection");

    /**
     * Never forwarded upstream: the add-in's credentials, Switchboard's own headers, what the
     * client computes, and what proxies and load balancers use to name a client address or rewrite
     * a URL (with every {@code X-Forwarded-*}): a provider must not take the add-in's word for them.
     */
    private static final Set<String> REQUEST_DROPPED = Set.of("host", "content-length", "authorization", "cookie", "cookie2",
            "origin", "referer", "expect", "forwarded", "via", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip",
            "fastly-client-ip", "x-cluster-client-ip", "x-original-url", "x-rewrite-url", "x-original-host", "x-http-method-override",
            "x-http-method", "x-method-override", "x-request-id");

    /** Never returned to the add-in: cookies of the provider, its CORS policy (ours applies), what the server computes. */
    private static final Set<String> RESPONSE_DROPPED = Set.of("set-cookie", "set-cookie2", "content-length", "date", "server",
            "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-expose-headers", "access-control-max-age", "alt-svc");

    static boolean forwardUpstream(String name, Set<String> connectionTokens) {
        String n = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(n) && !REQUEST_DROPPED.contains(n) && !n.startsWith("x-switchboard-")
                && !n.startsWith("x-forwarded-") && !connectionTokens.contains(n);
    }

    static boolean returnDownstream(String name, Set<String> connectionTokens) {
        String n = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(n) && !RESPONSE_DROPPED.contains(n) && !connectionTokens.contains(n);
    }

    /** The header names a {@code Connection} header lists (they are hop-by-hop too). */
    static Set<String> connectionTokens(String connection) {
        if (connection == null || connection.isBlank()) {
            return Set.of();
        }
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String t : connection.split(",")) {
            tokens.add(t.trim().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }
}
