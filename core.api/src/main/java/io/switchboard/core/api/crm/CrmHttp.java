package io.switchboard.core.api.crm;

import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * HTTP to one linked account's API, given to a {@link CrmConnector} for one call: relative paths
 * resolve against the account's base URL, the stored token is added, and a 401 is answered by one
 * token refresh and one retry before the connector sees it.
 */
@ProviderType
public interface CrmHttp {

    /** The account's API base URL (no trailing slash). */
    String baseUrl();

    /**
     * Sends a request; {@code pathAndQuery} is relative to {@link #baseUrl()} (starting with
     * {@code /}) or, for a provider's own continuation links, an absolute path on the same host.
     */
    Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException;

    /** Parses a JSON object. */
    Map<String, Object> parseObject(String json) throws IOException;

    /** Parses any JSON value (arrays included). */
    Object parse(String json) throws IOException;

    /** Writes a JSON value. */
    String write(Object value) throws IOException;
}
