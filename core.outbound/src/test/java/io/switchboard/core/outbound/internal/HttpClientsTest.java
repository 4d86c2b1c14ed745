package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import io.switchboard.testkit.tls.FakeHttp2Api;
import io.switchboard.testkit.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 to providers where they offer it: every outbound client (vault, proxy, CRM API) is built
 * by {@link HttpClients}; over TLS it negotiates {@code h2} by ALPN, and falls back to HTTP/1.1
 * with a provider that does not offer it, or in clear text.
 */
class HttpClientsTest {
    @TempDir
    static Path keys;
    private static TestCertificates.KeyStore keystore;

    private Server server;
    private HttpClient client;

    @BeforeAll
    static void selfSignedCertificateFor127001() {
        keystore = TestCertificates.selfSigned(keys);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void speaksHttp2ToAProviderThatOffersIt() throws Exception {
        int port = start(true, true);
        ContentResponse r = client().newRequest("https://127.0.0.1:" + port + "/services/data").send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(r.getContentAsString()).isEqualTo("HTTP/2.0 GET /services/data");
        // several calls share the one multiplexed connection
        for (int i = 0; i < 5; i++) {
            assertThat(client.newRequest("https://127.0.0.1:" + port + "/n/" + i).send().getContentAsString()).isEqualTo("HTTP/2.0 GET /n/" + i);
        }
    }

    @Test
    void fallsBackToHttp11OverTlsWithoutAlpn() throws Exception {
        int port = start(true, false);
        ContentResponse r = client().newRequest("https://127.0.0.1:" + port + "/x").send();
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.getContentAsString()).isEqualTo("HTTP/1.1 GET /x");
    }

    @Test
    void clearTextOriginsGetHttp11() throws Exception {
        int port = start(false, false);
        ContentResponse r = client().newRequest("http://127.0.0.1:" + port + "/y").send();
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.getContentAsString()).isEqualTo("HTTP/1.1 GET /y");
    }

    private HttpClient client() {
        client = HttpClients.start(Duration.ofSeconds(5), true, (c, connector) -> {
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setTrustStorePath(keystore.path().toString());
            tls.setTrustStorePassword(keystore.password());
            connector.setSslContextFactory(tls);
        });
        return client;
    }

    /** A provider on a free loopback port: TLS or not, offering h2 by ALPN or not. */
    private int start(boolean tls, boolean h2) throws Exception {
        server = new Server();
        ServerConnector connector = FakeHttp2Api.connector(server, tls ? keystore : null, h2);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String answer = request.getConnectionMetaData().getHttpVersion().asString() + " " + request.getMethod() + " "
                        + request.getHttpURI().getPath();
                response.write(true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return connector.getLocalPort();
    }
}
