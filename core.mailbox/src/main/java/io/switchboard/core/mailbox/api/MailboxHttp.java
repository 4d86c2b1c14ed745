package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * HTTP to one linked mailbox, given to a {@link MailboxConnector} for one call: relative paths
 * resolve against the account's base URL, the stored token is added, the account's budget is
 * kept, and a 401 is answered by one token refresh and one retry before the connector sees it.
 */
@ProviderType
public interface MailboxHttp {

    /** The account's API base URL (no trailing slash). */
    String baseUrl();

    /**
     * Sends a request; {@code pathAndQuery} is relative to {@link #baseUrl()} (starting with
     * {@code /}; a provider's absolute continuation link is cut to the part after the base URL).
     *
     * @throws io.switchboard.core.api.ProblemException 400 when the path would leave the account's
     *     API, 429 when the account's budget is spent
     */
    Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException;

    /** Parses a JSON object. */
    Map<String, Object> parseObject(String json) throws IOException;

    /** Writes a JSON value. */
    String write(Object value) throws IOException;

    /**
     * The JSON object of a successful answer (an empty one for an answer without a body).
     *
     * @throws ProviderRefusal the provider's refusal, read from its status, {@code Retry-After}
     *     and the {@code {"error":{"code"|"status","message"}}} body Graph and Google both answer
     */
    Map<String, Object> object(Upstream.Response response) throws ProviderRefusal, IOException;
}
