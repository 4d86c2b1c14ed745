import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Enumeration;
import java.util.Map;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stack's ceiling for bench/proxy.sh: the thinnest reverse proxies that Jetty 12 itself allows,
 * doing none of Switchboard's work (no session check, no token, no header rules beyond
 * Host/Connection, no audit line, no metrics), no OSGi. Three shapes:
 * <ul>
 * <li>{@code core} (the default): a core {@link Handler}, one thread pool shared by server and
 * client, the provider's answer buffered and written at once;</li>
 * <li>{@code core-nb}: the same, with handler and client connections declared non-blocking, so
 * Jetty runs them on its selector threads instead of handing each event to a worker;</li>
 * <li>{@code servlet}: Switchboard's shape without Switchboard: an ee10 asynchronous servlet, the
 * answer relayed chunk by chunk with non-blocking servlet writes, a server pool of 64 threads and
 * a client pool of 16 (Felix HTTP's and the proxy's settings).</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp <jetty-server, -http, -io, -util, -client, -session, -security,
 * -ee10-servlet, jakarta.servlet-api 6, slf4j-api> bench/JettyProxy.java <upstream origin> <port> [mode]}
 */
public final class JettyProxy {
    public static void main(String[] args) throws Exception {
        String upstream = args[0];
        String mode = args.length > 2 ? args[2] : "core";
        boolean nonBlocking = mode.equals("core-nb");
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(new ClientConnector()) {
            @Override
            public Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
                if (!nonBlocking) {
                    return super.newConnection(endPoint, context);
                }
                HttpConnectionOverHTTP connection = new HttpConnectionOverHTTP(endPoint, context) {
                    @Override
                    public InvocationType getInvocationType() {
                        return InvocationType.NON_BLOCKING; // answers are handled on the client's selector thread
                    }
                };
                return customize(connection, context);
            }
        });
        client.setMaxConnectionsPerDestination(256);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        if (mode.equals("servlet")) {
            QueuedThreadPool clientThreads = new QueuedThreadPool(16, 4);
            client.setExecutor(clientThreads);
            client.setUseInputDirectByteBuffers(false);
            ServletContextHandler context = new ServletContextHandler("/");
            ServletHolder holder = new ServletHolder(new AsyncRelayServlet(client, upstream));
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/*");
            server.setHandler(context);
        } else {
            client.setExecutor(threads);
            server.setHandler(new BufferingHandler(client, upstream, nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING));
        }
        client.start();
        server.start();
        System.out.println("ready " + mode);
        server.join();
    }

    /** A core handler: the provider's answer is buffered, then written with one call. */
    private static final class BufferingHandler extends Handler.Abstract {
        private final HttpClient client;
        private final String upstream;

        BufferingHandler(HttpClient client, String upstream, InvocationType type) {
            super(type);
            this.client = client;
            this.upstream = upstream;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            org.eclipse.jetty.client.Request out = client.newRequest(upstream).method(request.getMethod())
                    .path(request.getHttpURI().getPathQuery());
            out.headers(h -> request.getHeaders().forEach(f -> {
                if (f.getHeader() != HttpHeader.HOST && f.getHeader() != HttpHeader.CONNECTION) {
                    h.add(f);
                }
            }));
            out.send(new BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                    if (result.isFailed()) {
                        Response.writeError(request, response, callback, 502);
                        return;
                    }
                    response.setStatus(result.getResponse().getStatus());
                    for (HttpField f : result.getResponse().getHeaders()) {
                        if (f.getHeader() != HttpHeader.CONNECTION) {
                            response.getHeaders().add(f);
                        }
                    }
                    response.write(true, ByteBuffer.wrap(getContent()), callback);
                }
            });
            return true;
        }
    }

    /** An asynchronous servlet relaying the answer chunk by chunk with non-blocking writes, as Switchboard's proxy does. */
    private static final class AsyncRelayServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient HttpClient client;
        private final String upstream;

        AsyncRelayServlet(HttpClient client, String upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            String query = req.getQueryString();
            org.eclipse.jetty.client.Request out = client.newRequest(upstream).method(req.getMethod())
                    .path(req.getRequestURI() + (query == null ? "" : "?" + query));
            out.headers(h -> {
                Enumeration<String> names = req.getHeaderNames();
                while (names.hasMoreElements()) {
                    String name = names.nextElement();
                    if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Connection")) {
                        Enumeration<String> values = req.getHeaders(name);
                        while (values.hasMoreElements()) {
                            h.add(name, values.nextElement());
                        }
                    }
                }
            });
            out.send(new Relay(resp, async));
        }
    }

    private static final class Relay implements org.eclipse.jetty.client.Response.Listener, WriteListener {
        private final HttpServletResponse resp;
        private final AsyncContext async;
        private ServletOutputStream output;
        private Content.Chunk waiting;
        private Content.Chunk inFlight;
        private Runnable demand;
        private boolean finished;
        private boolean ended;

        Relay(HttpServletResponse resp, AsyncContext async) {
            this.resp = resp;
            this.async = async;
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response response) {
            resp.setStatus(response.getStatus());
            for (HttpField f : response.getHeaders()) {
                if (f.getHeader() != HttpHeader.CONNECTION) {
                    resp.addHeader(f.getName(), f.getValue());
                }
            }
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response response, Content.Chunk chunk, Runnable demander) throws IOException {
            if (!chunk.hasRemaining()) {
                demander.run();
                return;
            }
            chunk.retain();
            synchronized (this) {
                waiting = chunk;
                demand = demander;
                if (output == null) {
                    output = resp.getOutputStream();
                    output.setWriteListener(this);
                    return;
                }
            }
            onWritePossible();
        }

        @Override
        public void onWritePossible() throws IOException {
            Runnable next = null;
            boolean end = false;
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (inFlight == null && waiting != null && output.isReady()) {
                    ByteBuffer b = waiting.getByteBuffer();
                    byte[] copy = new byte[b.remaining()]; // the chunk's buffer is read-only
                    b.get(copy);
                    output.write(copy);
                    inFlight = waiting;
                    waiting = null;
                }
                if (inFlight != null && output.isReady()) {
                    inFlight.release();
                    inFlight = null;
                    next = demand;
                    demand = null;
                }
                if (inFlight == null && waiting == null && finished) {
                    ended = true;
                    end = true;
                }
            }
            if (next != null) {
                next.run();
            }
            if (end) {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable failure) {
            async.complete();
        }

        @Override
        public void onComplete(Result result) {
            boolean end;
            synchronized (this) {
                end = waiting == null && inFlight == null;
                ended |= end;
                finished = true;
            }
            if (result.isFailed() && !resp.isCommitted()) {
                resp.setStatus(502);
            }
            if (end) {
                async.complete();
            }
        }
    }
}
