package io.switchboard.core.proxy.internal;

import io.switchboard.core.api.ProblemException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The upstream URL of a proxied call: the account's base URL + the path after the account id +
 * the query, exactly as sent (percent-encoding preserved). The path can never change the host:
 * dot segments (plain or encoded), backslashes, a leading {@code //}, control characters and
 * malformed encodings are refused, and the built URL must keep the base's scheme, host, port
 * and path prefix, with the host one the connector allows for the account.
 */
final class ProxyTarget {
    private ProxyTarget() {}

    static URI resolve(String baseUrl, Set<String> allowedHosts, String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        if (!path.isEmpty() && path.charAt(0) != '/') {
            throw invalid("the path must follow the account id after a slash");
        }
        if (path.startsWith("//")) {
            throw invalid("the path may not start with //");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                throw invalid("the path contains a character that is not allowed");
            }
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("the path has a malformed percent-encoding");
        }
        String lower = decoded.toLowerCase(Locale.ROOT);
        if (lower.contains("\\") || lower.contains("\u0000")) {
            throw invalid("the path contains a character that is not allowed");
        }
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("dot segments are not allowed in the path");
            }
        }
        if (rawQuery != null) {
            for (int i = 0; i < rawQuery.length(); i++) {
                char c = rawQuery.charAt(i);
                if (c <= 0x20 || c == 0x7f || c == '#') {
                    throw invalid("the query contains a character that is not allowed");
                }
            }
        }
        URI base = URI.create(baseUrl);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String target = base.getScheme() + "://" + base.getRawAuthority() + basePath + path + (rawQuery == null ? "" : "?" + rawQuery);
        URI uri;
        try {
            uri = new URI(target);
        } catch (java.net.URISyntaxException e) {
            throw invalid("the path or query is not a valid URI part");
        }
        if (!base.getScheme().equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || !uri.getHost().equalsIgnoreCase(base.getHost()) || uri.getPort() != base.getPort() || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null ? "" : uri.getRawPath()).startsWith(basePath)) {
            throw invalid("the path would leave the account's API");
        }
        if (!allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT)) && !allowedHosts.contains(uri.getHost())) {
            throw new ProblemException(403, "host-not-allowed", "Host not allowed",
                    "the connector does not allow calls to this account's host");
        }
        return uri;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-proxy-path", "Invalid proxy path", detail);
    }
}
