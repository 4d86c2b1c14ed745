package io.switchboard.core.crm.api;

import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.util.List;
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

    // ---- the engine, reading the provider's data as the connector's CrmShape declares it

    /**
     * The JSON object of a successful answer.
     *
     * @throws CrmException the provider's refusal, classified as the shape's {@link CrmShape.Errors} say
     */
    Map<String, Object> object(Upstream.Response response) throws CrmException, IOException;

    /** Like {@link #object}, for answers without a body (204). */
    void check(Upstream.Response response) throws CrmException, IOException;

    /** @throws CrmException {@code NOT_SUPPORTED} when the CRM has no such type */
    CrmShape.Table table(CrmObject type) throws CrmException;

    /** A provider's record as a unified one (every mapped field, {@code null} where the record has none). */
    CrmRecord record(CrmObject type, Map<String, Object> remote) throws CrmException;

    /** The records of a list or search answer. */
    List<CrmRecord> records(CrmObject type, Map<String, Object> body) throws CrmException;

    /** The provider's fields for the unified ones given (names without a mapping are left out). */
    Map<String, Object> toRemote(CrmObject type, Map<String, Object> unified) throws CrmException;
}
