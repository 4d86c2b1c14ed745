import java.nio.ByteBuffer;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stack's ceiling for bench/proxy.sh: the thinnest reverse proxy that Jetty 12 itself allows
 * (a core {@link Handler}, no servlet layer, no OSGi, one thread pool shared by server and client,
 * Jetty's {@link HttpClient} upstream), doing none of Switchboard's work: no session check, no
 * token, no header rules beyond Host/Connection, no audit line, no metrics.
 *
 * <p>Usage: {@code java -cp <jetty-server, -http, -io, -util, -client, slf4j-api> bench/JettyProxy.java <upstream origin> <port>}
 */
public final class JettyProxy {
    public static void main(String[] args) throws Exception {
        String upstream = args[0];
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(256);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
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
        });
        client.start();
        server.start();
        System.out.println("ready");
        server.join();
    }
}
