package io.switchboard.core.proxy.internal;

import io.switchboard.core.api.ProblemException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream target of a proxied call: the account's base URL + the path after the account id
 * + the query, exactly as sent (percent-encoding preserved). The path can never change the host:
 * dot segments (plain or percent-encoded), backslashes, a leading {@code //}, control, space and
 * non-ASCII characters and malformed encodings are refused, so what is appended can only extend
 * the base's path; the base's host must be one the connector allows for the account. The base
 * URL is parsed once and remembered; the call's own part is checked character by character.
 */
final class ProxyTarget {
    /** Where a call goes: {@code pathAndQuery} is raw, as the add-in sent it. */
    record Target(String scheme, String host, int port, String pathAndQuery) {
        URI uri() {
            return URI.create(scheme + "://" + host + ":" + port + pathAndQuery);
        }
    }

    private record Base(String scheme, String host, int port, String path) {}

    private static final Map<String, Base> BASES = new ConcurrentHashMap<>();

    private ProxyTarget() {}

    static Target resolve(String baseUrl, Set<String> allowedHosts, String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        if (!path.isEmpty() && path.charAt(0) != '/') {
            throw invalid("the path must follow the account id after a slash");
        }
        if (path.startsWith("//")) {
            throw invalid("the path may not start with //");
        }
        checkPath(path);
        if (rawQuery != null) {
            for (int i = 0; i < rawQuery.length(); i++) {
                char c = rawQuery.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '#') {
                    throw invalid("the query contains a character that is not allowed");
                }
            }
        }
        Base base = base(baseUrl);
        if (!allowedHosts.contains(base.host())) {
            throw new ProblemException(403, "host-not-allowed", "Host not allowed",
                    "the connector does not allow calls to this account's host");
        }
        return new Target(base.scheme(), base.host(), base.port(), base.path() + path + (rawQuery == null ? "" : "?" + rawQuery));
    }

    /** Refuses characters and segments that could climb out of the base path or be read differently upstream. */
    private static void checkPath(String path) {
        int segmentStart = 0;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#' || c == '?') {
                throw invalid("the path contains a character that is not allowed");
            }
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    throw invalid("the path has a malformed percent-encoding");
                }
                int decoded = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                if (decoded == '/' || decoded == '\\' || decoded < 0x20 || decoded == 0x7f) {
                    throw invalid("encoded slashes, backslashes and control characters are not allowed in the path");
                }
            }
            if (c == '/') {
                String segment = path.substring(segmentStart, i).toLowerCase(Locale.ROOT);
                if (segment.equals(".") || segment.equals("..") || segment.equals("%2e") || segment.equals("%2e%2e")
                        || segment.equals(".%2e") || segment.equals("%2e.")) {
                    throw invalid("dot segments are not allowed in the path");
                }
                segmentStart = i + 1;
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static Base base(String baseUrl) {
        Base known = BASES.get(baseUrl);
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
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        Base base = new Base(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path);
        if (BASES.size() > 10_000) {
            BASES.clear();
        }
        BASES.put(baseUrl, base);
        return base;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-proxy-path", "Invalid proxy path", detail);
    }
}
