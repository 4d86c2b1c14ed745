package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.ProblemException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF rules for URLs a user types (a SugarCRM instance URL, S16): HTTPS only, no credentials,
 * no path tricks; the host is resolved once and every address must be public (no loopback,
 * private, link-local, CGNAT, unique-local, multicast, reserved or IPv4-mapped addresses). The
 * check runs before any connection is made.
 */
final class HostGuard {
    private final boolean allowPrivate;

    HostGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The instance origin ({@code https://host[:port]}) for a URL the user typed. */
    String checkInstanceUrl(String typed) {
        URI uri;
        try {
            uri = URI.create(typed == null ? "" : typed.trim()).normalize();
        } catch (IllegalArgumentException e) {
            throw invalid("the instance URL is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !(allowPrivate && "http".equals(scheme))) {
            throw invalid("the instance URL must start with https://");
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("the instance URL must be https://host[:port][/path] without user, query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("..") || path.contains("%") || path.contains("\\")) {
            throw invalid("the instance URL path is not acceptable");
        }
        checkHost(uri.getHost());
        String origin = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        return origin + path.replaceAll("/+$", "");
    }

    void checkHost(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw invalid("the instance host does not resolve");
        }
        if (allowPrivate) {
            return;
        }
        for (InetAddress a : addresses) {
            if (forbidden(a)) {
                throw invalid("the instance host resolves to an address that is not public");
            }
        }
    }

    static boolean forbidden(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first >= 240 // this network, reserved, broadcast
                    || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF 192.0.0/24
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
                    || (first == 169 && second == 254);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            boolean mapped = true; // ::ffff:a.b.c.d and ::a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
                return true;
            }
            return first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8; // documentation 2001:db8::/32
        }
        return true;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-instance-url", "Instance URL refused", detail);
    }
}
