package io.switchboard.core.outbound.api;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.util.Map;

/** Calls to one linked account's API, from {@link ProviderCalls#account}. Not shared between threads. */
public interface AccountCalls {

    /** The account's API base URL (no trailing slash). */
    String baseUrl();

    /**
     * Sends a request with the account's token; a 401 gets one refresh and one retry.
     *
     * @param pathAndQuery relative to {@link #baseUrl()} (starting with {@code /}) or, for a
     *     provider's own continuation links, an absolute path on the same host
     * @throws ProblemException 400 when the path would leave the account's API; 429 when the budget is spent
     * @throws IOException the provider could not be reached or did not answer in time
     */
    Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException;

    /** Parses a JSON object of the provider's API. */
    Map<String, Object> parseObject(String json) throws IOException;

    /** Parses any JSON value of the provider's API (arrays included). */
    Object parse(String json) throws IOException;

    /** Writes a JSON value for the provider's API. */
    String write(Object value) throws IOException;
}
