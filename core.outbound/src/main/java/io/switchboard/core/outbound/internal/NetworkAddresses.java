package io.switchboard.core.outbound.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The SSRF rule for outbound calls (docs/security.md S16): a host is resolved once, every address it
 * resolves to must be public, and the connection goes to exactly those addresses (HTTP clients
 * use {@link #resolvePublic(String)} as their resolver, so a later DNS answer cannot redirect the
 * connection). Refused: loopback, private (RFC 1918), link-local (cloud metadata), CGNAT,
 * unique-local, multicast, reserved and documentation ranges, and IPv4-mapped or -compatible
 * IPv6 forms of any address.
 */
final class NetworkAddresses {
    private NetworkAddresses() {}

    /** A host refused because it resolves to an address that is not public. */
    public static final class NotPublicException extends UnknownHostException {
        /** The answer for a call that met it: the same wherever the call came from. */
        static io.switchboard.core.api.ProblemException problem() {
            return new io.switchboard.core.api.ProblemException(403, "host-not-allowed", "Host not allowed",
                    "the account's host does not resolve to a public address");
        }

        private static final long serialVersionUID = 1L;

        public NotPublicException(String host) {
            super("refused: " + host + " resolves to an address that is not public");
        }
    }

    /** Resolves {@code host} and returns its addresses, all public. */
    public static List<InetAddress> resolvePublic(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new NotPublicException(host);
            }
        }
        return List.of(addresses);
    }

    /** {@link #resolvePublic(String)} as the socket addresses an HTTP client connects to. */
    public static List<java.net.InetSocketAddress> publicSocketAddresses(String host, int port) throws UnknownHostException {
        return resolvePublic(host).stream().map(a -> new java.net.InetSocketAddress(a, port)).toList();
    }

    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || first >= 240 // this network, reserved, broadcast
                    || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF 192.0.0/24
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 2) // documentation
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
                    || (first == 169 && second == 254));
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return false;
            }
            boolean zeroPrefix = true; // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible)
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
                return false;
            }
            return !(first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8); // 2001:db8::/32
        }
        return false;
    }
}
