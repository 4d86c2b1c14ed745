package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public-address rule against IANA's IPv4 and IPv6 special-purpose registries, including the
 * IPv6 forms that embed an IPv4 address (issue 18 item 4: {@code 64:ff9b::a9fe:a9fe}, the cloud
 * metadata address through NAT64, passed before).
 */
class NetworkAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv4
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.169.254", "172.16.0.1",
            "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
            "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255",
            // IPv6 special purpose
            "::", "::1", "100::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "3fff::1",
            "3fff:fff:ffff::1", "5f00::1", "2001:2::1", "2001:10::1", "4000::1", "8000::1",
            // IPv6 forms of IPv4 addresses
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", // mapped: the JDK answers their Inet4Address
            "::127.0.0.1", "::8.8.8.8", "::a9fe:a9fe", // IPv4-compatible ::/96
            "::ffff:0:a9fe:a9fe", "::ffff:0:808:808", // IPv4-translated ::ffff:0:0:0/96
            "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::c0a8:101", // NAT64 of non-public addresses
            "64:ff9b:1::808:808", "64:ff9b:1:ffff::1", // local-use NAT64 64:ff9b:1::/48
            "2002:a9fe:a9fe::1", "2002:808:808::1", "2002::1", // 6to4 2002::/16
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1", "2001:0:a9fe:a9fe::1", // Teredo 2001::/32
    })
    void refusesWhatIsNotGloballyReachable(String address) throws Exception {
        assertThat(NetworkAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        assertThatThrownBy(() -> NetworkAddresses.resolvePublic(address)).isInstanceOf(NetworkAddresses.NotPublicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "192.0.3.1", "198.20.0.1", "223.255.255.254",
            "2606:4700::1111", "2a00:1450:4001:80b::200e", "2001:200::1", "3ffe::1", "3fff:1000::1",
            "::ffff:8.8.8.8", // mapped: the JDK turns it into 8.8.8.8, reached over IPv4
            "64:ff9b::808:808", "64:ff9b::5db8:d70e"}) // NAT64 of public addresses (DNS64 networks return these for public hosts)
    void acceptsGloballyReachableUnicast(String address) throws Exception {
        assertThat(NetworkAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        assertThat(NetworkAddresses.resolvePublic(address)).hasSize(1);
    }
}
