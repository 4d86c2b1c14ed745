package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.connector.Upstream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** S16 at connection time: a host that resolves to a private address is refused before any connection. */
class PlainCallsTest {

    @Test
    void refusesLoopbackAndPrivateHostsWithoutConnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Client client = new Client(false)) {
            server.setSoTimeout(300);
            for (String host : new String[] {"127.0.0.1", "localhost", "[::1]"}) {
                assertThatThrownBy(() -> client.send(new Upstream.Request("POST", "http://" + host + ":" + server.getLocalPort() + "/token",
                        Map.of("Content-Type", "application/x-www-form-urlencoded"), "grant_type=refresh_token")))
                        .isInstanceOf(NetworkAddresses.NotPublicException.class);
            }
            assertThatThrownBy(server::accept).as("no connection reached the listener").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theTestSettingReachesLoopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Client client = new Client(true)) {
            Thread answer = new Thread(() -> {
                try (var socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                            .getBytes());
                } catch (Exception e) {
                    // the assertion below reports it
                }
            });
            answer.start();
            Upstream.Response r = client.send(new Upstream.Request("GET", "http://127.0.0.1:" + server.getLocalPort() + "/x", Map.of(), null));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{}");
            answer.join();
        }
    }

    /** Plain calls on a client built as the service builds it, with a 2 s timeout. */
    private static final class Client implements AutoCloseable {
        private final HttpClient http;
        private final PlainCalls calls;

        Client(boolean allowPrivate) {
            http = HttpClients.start(Duration.ofSeconds(2), allowPrivate, (c, connector) -> { });
            calls = new PlainCalls(http, Duration.ofSeconds(2));
        }

        Upstream.Response send(Upstream.Request request) throws java.io.IOException {
            return calls.send(request);
        }

        @Override
        public void close() throws Exception {
            http.stop();
        }
    }
}
