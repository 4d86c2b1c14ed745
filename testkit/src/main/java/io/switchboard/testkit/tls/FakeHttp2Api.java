package io.switchboard.testkit.tls;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A provider API over TLS that offers HTTP/2 by ALPN (and HTTP/1.1 to clients that do not ask
 * for h2), as Salesforce's and HubSpot's APIs do, on a free loopback port. It answers with a
 * {@link FakeServer.Handler} and records each request with the protocol it came over.
 */
public final class FakeHttp2Api implements AutoCloseable {
    /** A request as received, and the protocol it came over ({@code HTTP/2.0} or {@code HTTP/1.1}). */
    public record Received(String protocol, FakeRequest request) {}

    private final Server server;
    private final ServerConnector connector;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public FakeHttp2Api(TestCertificates.KeyStore keys, FakeServer.Handler handler) {
        server = new Server();
        connector = connector(server, keys, true);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // h2 names are lower case
                for (HttpField f : request.getHeaders()) {
                    headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
                }
                ByteBuffer content = Content.Source.asByteBuffer(request);
                byte[] body = new byte[content.remaining()];
                content.get(body);
                FakeRequest fake = new FakeRequest(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        headers, body);
                received.add(new Received(request.getConnectionMetaData().getHttpVersion().asString(), fake));
                FakeResponse answer = handler.handle(fake);
                response.setStatus(answer.status());
                answer.headers().forEach((name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
                response.write(true, ByteBuffer.wrap(answer.body()), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP/2 fake", e);
        }
    }

    /**
     * Adds to {@code server} a connector on a free loopback port: TLS with the given certificate
     * ({@code null}: clear text), offering {@code h2} and {@code http/1.1} by ALPN or, without
     * {@code offerH2}, HTTP/1.1 only.
     */
    public static ServerConnector connector(Server server, TestCertificates.KeyStore keys, boolean offerH2) {
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false)); // the certificate names 127.0.0.1, not a host
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        ServerConnector connector;
        if (keys == null) {
            connector = new ServerConnector(server, http11);
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keys.path().toString());
            tls.setKeyStorePassword(keys.password());
            if (offerH2) {
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
                alpn.setDefaultProtocol(http11.getProtocol());
                connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                        new HTTP2ServerConnectionFactory(config), http11);
            } else {
                connector = new ServerConnector(server, new SslConnectionFactory(tls, http11.getProtocol()), http11);
            }
        }
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        return connector;
    }

    /** {@code https://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("https://127.0.0.1:" + connector.getLocalPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
