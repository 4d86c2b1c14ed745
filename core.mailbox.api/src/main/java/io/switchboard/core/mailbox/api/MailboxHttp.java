package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * A {@code GET} whose answer is content, read from the provider as it is written on (see
     * {@link MailContent}); a 401 gets one refresh and one retry as in {@link #send}.
     *
     * @param name the file name the content goes by, or {@code null}
     * @return the answer's body with its {@code Content-Type} and {@code Content-Length}
     * @throws ProviderRefusal the provider's refusal (a status other than 2xx), read as {@link #object} reads it
     */
    MailContent download(String pathAndQuery, Map<String, String> headers, String name) throws ProviderRefusal, IOException;

    /**
     * A {@code GET} whose answer is a JSON object carrying content as a base64url string member
     * (Gmail's attachments and raw messages): the member is decoded as it arrives, so memory stays
     * flat; the object's other members are skipped.
     *
     * @throws ProviderRefusal the provider's refusal (a status other than 2xx)
     */
    MailContent downloadBase64Member(String pathAndQuery, String member, String contentType, String name, long size)
            throws ProviderRefusal, IOException;

    /**
     * Sends a request whose body is read from {@code content} as it goes out (an upload: memory
     * stays flat whatever its size), with the stored token. The body cannot be sent twice: a 401 is
     * answered as it is (the token is refreshed for the next call).
     *
     * @param length the body's bytes, or -1 when unknown (then sent chunked)
     * @since 1.5.0
     */
    Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, InputStream content, long length)
            throws IOException;

    /**
     * Sends bytes to an address the provider handed out for one upload (Graph's upload session,
     * whose address carries its own authorization and lies on another host): without the token,
     * HTTPS only, under the same address rules and budget as every call. The connector checks
     * that the host is one its provider uses.
     *
     * @since 1.5.0
     */
    Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) throws IOException;

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
