package io.switchboard.core.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP client behind every call to a provider (token requests, identity and revocation,
 * the unified APIs, the proxy), built so that every call behaves the same: no redirects followed, no cookie jar (a provider's
 * cookies must never follow one user's call into another's), no protocol handlers (a 401 with
 * or without {@code WWW-Authenticate}, a redirect or an upgrade is the caller's to see), and
 * the SSRF rule at connection time: each host is resolved once and the connection goes only to
 * the public addresses checked ({@link NetworkAddresses}), unless the test-only
 * {@code allowPrivateAddresses} is set.
 *
 * <p>HTTP/2 where the provider offers it: over TLS the client offers {@code http/1.1} and
 * {@code h2} by ALPN and the provider chooses (the providers we know choose {@code h2}: one
 * multiplexed connection instead of a pool of them); a provider without ALPN, and every
 * clear-text origin, gets HTTP/1.1.
 */
final class HttpClients {
    private HttpClients() {}

    /**
     * A started client.
     *
     * @param customize runs before the start, for the caller's own limits, executor or user agent
     */
    static HttpClient start(Duration connectTimeout, boolean allowPrivateAddresses,
                                   BiConsumer<HttpClient, ClientConnector> customize) {
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(connectTimeout);
        HTTP2Client http2 = new HTTP2Client(connector);
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(http2)));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setSocketAddressResolver(allowPrivateAddresses ? new SocketAddressResolver.Sync() : HttpClients::resolvePublic);
        customize.accept(client, connector);
        // HTTP/2 connections use the buffers the caller chose for the client (Jetty keeps the two apart)
        http2.setUseInputDirectByteBuffers(client.isUseInputDirectByteBuffers());
        http2.setUseOutputDirectByteBuffers(client.isUseOutputDirectByteBuffers());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        client.getProtocolHandlers().clear(); // start() installs them
        return client;
    }

    private static void resolvePublic(String host, int port, Promise<List<InetSocketAddress>> promise) {
        try {
            promise.succeeded(NetworkAddresses.publicSocketAddresses(host, port));
        } catch (IOException e) {
            promise.failed(e);
        }
    }
}
