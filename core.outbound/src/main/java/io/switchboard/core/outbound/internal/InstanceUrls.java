package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
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
final class InstanceUrls {
    /**
     * One answer whether the host does not resolve or resolves to a private address: two would tell
     * a user which internal names exist (an oracle on the operator's DNS).
     */
    static final String NOT_REACHABLE = "the instance host does not resolve to a public address";

    private final boolean allowPrivate;

    InstanceUrls(boolean allowPrivate) {
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
            throw invalid(NOT_REACHABLE);
        }
        if (allowPrivate) {
            return;
        }
        for (InetAddress a : addresses) {
            if (forbidden(a)) {
                throw invalid(NOT_REACHABLE);
            }
        }
    }

    static boolean forbidden(InetAddress a) {
        return !NetworkAddresses.isPublic(a);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-instance-url", "Instance URL refused", detail);
    }
}
