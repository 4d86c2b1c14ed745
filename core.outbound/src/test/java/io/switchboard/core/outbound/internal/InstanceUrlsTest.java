package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** S16 for user-typed instance URLs: checked before any connection is made. */
class InstanceUrlsTest {
    private final InstanceUrls strict = new InstanceUrls(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "ftp://example.com", "https://user:pw@example.com", "https://example.com/?q=1",
            "https://example.com/#x", "https://example.com/a/../b", "https://example.com/%2e%2e/", "https://example.com\\@evil",
            "javascript:alert(1)", "", "not a url", "https://127.0.0.1", "https://localhost", "https://10.1.2.3",
            "https://172.16.0.1", "https://192.168.1.1", "https://169.254.169.254", "https://100.64.0.1", "https://0.0.0.0",
            "https://[::1]", "https://[fd00::1]", "https://[fe80::1]", "https://[::ffff:127.0.0.1]", "https://[::ffff:10.0.0.1]",
            "https://224.0.0.1", "https://255.255.255.255", "https://198.18.0.1", "https://2130706433"})
    void refusesWhatIsNotAPublicHttpsInstance(String url) {
        assertThatThrownBy(() -> strict.checkInstanceUrl(url)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).slug()).isEqualTo("invalid-instance-url"));
    }

    @Test
    void acceptsPublicAddressesAndNormalisesTheOrigin() {
        assertThat(strict.checkInstanceUrl("https://93.184.215.14/")).isEqualTo("https://93.184.215.14");
        assertThat(strict.checkInstanceUrl("HTTPS://8.8.8.8:8443/sugar/")).isEqualTo("https://8.8.8.8:8443/sugar");
    }

    @Test
    void classifiesAddresses() throws Exception {
        for (String forbidden : new String[] {"127.0.0.1", "10.0.0.1", "100.127.255.255", "192.0.0.8", "::1", "fc00::1", "::ffff:192.168.0.1"}) {
            assertThat(InstanceUrls.forbidden(InetAddress.getByName(forbidden))).as(forbidden).isTrue();
        }
        for (String allowed : new String[] {"8.8.8.8", "100.128.0.1", "2606:4700::1111"}) {
            assertThat(InstanceUrls.forbidden(InetAddress.getByName(allowed))).as(allowed).isFalse();
        }
    }

    @Test
    void testModeAllowsLoopbackHttp() {
        assertThat(new InstanceUrls(true).checkInstanceUrl("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void aNameThatDoesNotResolveAndAPrivateAddressGetTheSameAnswer() {
        assertThatThrownBy(() -> strict.checkInstanceUrl("https://no-such-host.invalid")).isInstanceOf(ProblemException.class)
                .hasMessageContaining(InstanceUrls.NOT_REACHABLE);
        assertThatThrownBy(() -> strict.checkInstanceUrl("https://127.0.0.1")).isInstanceOf(ProblemException.class)
                .hasMessageContaining(InstanceUrls.NOT_REACHABLE);
    }
}
