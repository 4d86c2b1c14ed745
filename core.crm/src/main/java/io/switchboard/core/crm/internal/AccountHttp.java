package io.switchboard.core.crm.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.crm.CrmHttp;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.util.Map;

/**
 * A CRM connector's view of one account for one unified call: the account's calls
 * ({@link AccountCalls}: its base URL, its token, the budget, one refresh and retry on 401) and
 * the JSON codec connectors share.
 */
final class AccountHttp implements CrmHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final AccountCalls calls;

    AccountHttp(AccountCalls calls) {
        this.calls = calls;
    }

    @Override
    public String baseUrl() {
        return calls.baseUrl();
    }

    @Override
    public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        return calls.send(method, pathAndQuery, headers, body);
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    @Override
    public Object parse(String json) throws IOException {
        return JSON.readValue(json, Object.class);
    }

    @Override
    public String write(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }
}
