package io.switchboard.core.api.connector;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The HTTP client Switchboard hands to connectors for their few calls of their own (identity,
 * revocation). It follows no redirects, has timeouts, and refuses hosts the SSRF rules forbid.
 */
@ProviderType
public interface Upstream {

    /** A request; {@code body} may be {@code null}. */
    record Request(String method, String url, Map<String, String> headers, String body) {
        public Request {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** Never prints header values, which may hold tokens. */
        @Override
        public String toString() {
            return method + " " + url;
        }
    }

    /** A response with its body as text. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    Response send(Request request) throws IOException;

    /** Parses a JSON object (for connectors without a JSON library of their own). */
    Map<String, Object> parseObject(String json) throws IOException;
}
