package io.switchboard.core.outbound.api;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Upstream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** Calls to one linked account's API, from {@link ProviderCalls#account}. Not shared between threads. */
@ProviderType
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

    /**
     * Sends a request with the account's token, like {@link #send}, and hands the answer's body
     * over as it arrives (an attachment, a raw message): the provider is read no faster than the
     * caller reads, so memory stays flat whatever the size. The call holds its place among the
     * account's calls at once until the answer is closed; closing it before the end breaks the
     * call off. The timeout bounds the wait for the answer's head and each pause in its body.
     *
     * @throws ProblemException as {@link #send}
     * @throws IOException the provider could not be reached or did not answer in time
     */
    Streamed open(String method, String pathAndQuery, Map<String, String> headers) throws IOException;

    /**
     * Sends a request whose body is read from {@code content} as it goes out (an upload: memory
     * stays flat whatever its size), with the account's token, like {@link #send}. The body cannot
     * be sent twice: a 401 refreshes the token for the next call and is answered as it is.
     *
     * @param length the body's bytes, or -1 when unknown (then sent chunked)
     * @throws ProblemException as {@link #send}
     * @throws IOException the provider could not be reached, did not answer in time, or the content failed
     * @since 1.5.0
     */
    Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, InputStream content, long length)
            throws IOException;

    /**
     * Sends bytes to an address the provider handed out for one upload (Graph's upload session,
     * whose address carries its own authorization): without the account's token, under the same
     * address rules as every call (public addresses only, no redirects), within the account's
     * budget and calls at once. Which hosts may hand out such addresses is the connector's to check.
     *
     * @throws ProblemException 400 {@code bad-request} for an address that is not HTTPS (nor on the
     *     scheme and host of the account's own API)
     * @since 1.5.0
     */
    Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) throws IOException;

    /** An answer whose body is read as it arrives; close it (or read it to its end and close it). */
    record Streamed(int status, Map<String, List<String>> headers, InputStream body) implements Closeable {
        /** Whether the status is 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first value of a header (any case), or {@code null}. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Parses a JSON object of the provider's API. */
    Map<String, Object> parseObject(String json) throws IOException;

    /** Parses any JSON value of the provider's API (arrays included). */
    Object parse(String json) throws IOException;

    /** Writes a JSON value for the provider's API. */
    String write(Object value) throws IOException;
}
