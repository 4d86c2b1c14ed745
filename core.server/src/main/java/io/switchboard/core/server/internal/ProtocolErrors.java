package io.switchboard.core.server.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.api.util.Ids;
import io.switchboard.core.rest.api.ServletProblems;
import java.nio.ByteBuffer;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Errors Jetty answers itself, before any servlet runs (a request line it cannot parse, headers
 * over its limit: 400, 414, 431, ...), as {@code application/problem+json} with an
 * {@code X-Request-Id} like every other answer, instead of Jetty's HTML page.
 *
 * <p>Felix HTTP offers no hook for the server's error handler; the one place it hands out its
 * Jetty {@link Server} is a {@link ConnectorFactory}, called for each server it starts (the API's
 * and the console's listener). This factory sets the error handler there and contributes a
 * connector that never opens a socket, so it serves nothing.
 */
@Component(service = ConnectorFactory.class)
public class ProtocolErrors implements ConnectorFactory {
    private static final String MEDIA_TYPE = "application/problem+json";
    private final ServletProblems problems;

    @Activate
    public ProtocolErrors(@Reference ServletProblems problems) {
        this.problems = problems;
    }

    @Override
    public Connector createConnector(Server server) {
        server.setErrorHandler(new ProblemErrorHandler(problems));
        return new Unbound(server);
    }

    /** A connector that never opens a socket: Felix HTTP takes only {@link ServerConnector}s from a factory. */
    static final class Unbound extends ServerConnector {
        Unbound(Server server) {
            super(server, 0, 1);
            setHost("127.0.0.1");
        }

        @Override
        protected void doStart() {
            // no socket, no threads: this connector exists to hand the server its error handler
        }

        @Override
        protected void doStop() {
            // nothing was started
        }

        @Override
        public boolean isOpen() {
            return false;
        }
    }

    /** Writes every error as a problem; never a stack trace or an exception's message. */
    static final class ProblemErrorHandler extends ErrorHandler {
        private final ServletProblems problems;

        ProblemErrorHandler(ServletProblems problems) {
            this.problems = problems;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            String id = Ids.uuid();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
            response.getHeaders().put(Switchboard.REQUEST_ID_HEADER, id);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(body(code, message, request.getHttpURI().getPath(), id)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            String id = Ids.uuid();
            fields.put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
            fields.put(Switchboard.REQUEST_ID_HEADER, id);
            return ByteBuffer.wrap(body(status, reason, null, id));
        }

        private byte[] body(int status, String reason, String path, String id) {
            return problems.containerError(status, reason == null || reason.isBlank()
                    ? org.eclipse.jetty.http.HttpStatus.getMessage(status) : reason, path, id);
        }
    }
}
