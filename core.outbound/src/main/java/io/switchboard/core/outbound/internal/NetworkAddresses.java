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
 * unique-local, multicast, reserved and documentation ranges, and the IPv6 forms that embed an
 * IPv4 address ({@link #isPublic}).
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

    /**
     * Whether an address is globally reachable unicast, per IANA's IPv4 and IPv6 special-purpose
     * address registries. IPv6 forms that carry an IPv4 address are judged by it (NAT64
     * {@code 64:ff9b::/96}, which DNS64 networks return for public hosts) or refused (mapped,
     * compatible and translated forms, local-use NAT64 {@code 64:ff9b:1::/48}, 6to4 and Teredo).
     */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicIpv4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
        }
        if (!(a instanceof Inet6Address)) {
            return false;
        }
        int w0 = word(b, 0);
        int w1 = word(b, 2);
        if (w0 == 0x0064 && w1 == 0xff9b && word(b, 4) == 0 && word(b, 6) == 0 && word(b, 8) == 0 && word(b, 10) == 0) {
            return isPublicIpv4(b[12] & 0xff, b[13] & 0xff, b[14] & 0xff); // NAT64 64:ff9b::/96
        }
        // Only global unicast 2000::/3 is public; inside it, IETF protocol assignments 2001::/23
        // (Teredo 2001::/32, benchmarking, ORCHID), documentation 2001:db8::/32 and 3fff::/20, and 6to4 2002::/16 are not.
        // Outside it: ::/96 and ::ffff:0:0/96 (IPv4-compatible and -mapped), ::ffff:0:0:0/96 (translated),
        // 64:ff9b:1::/48, 100::/64 (discard), fc00::/7, fe80::/10, 5f00::/16 (SRv6) and the rest.
        if ((w0 & 0xe000) != 0x2000) {
            return false;
        }
        return !(w0 == 0x2001 && w1 < 0x0200) && !(w0 == 0x2001 && w1 == 0x0db8) && w0 != 0x2002
                && !(w0 == 0x3fff && (w1 & 0xf000) == 0);
    }

    private static boolean isPublicIpv4(int first, int second, int third) {
        return !(first == 0 || first == 10 || first == 127 || first >= 224 // this network, private, loopback, multicast, reserved
                || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
                || (first == 169 && second == 254) // link-local
                || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168) // private
                || (first == 192 && second == 0 && (third == 0 || third == 2)) // IETF assignments, documentation
                || (first == 192 && second == 88 && third == 99) // 6to4 relay anycast (deprecated)
                || (first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
                || (first == 198 && second == 51 && third == 100) || (first == 203 && second == 0 && third == 113)); // documentation
    }

    private static int word(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
