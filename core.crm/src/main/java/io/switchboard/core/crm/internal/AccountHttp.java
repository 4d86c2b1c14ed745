package io.switchboard.core.crm.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.connector.UpstreamPaths;
import io.switchboard.core.api.crm.CrmHttp;
import io.switchboard.core.tokens.api.CallBudgets;
import io.switchboard.core.tokens.api.TokenVault;
import io.switchboard.core.tokens.api.TokenVault.AccessToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;

/**
 * HTTP to one account's API for one unified call: paths stay under the account's base URL, the
 * stored token is added, and a 401 gets one refresh (the vault's single flight) and one retry.
 */
final class AccountHttp implements CrmHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final TokenVault vault;
    private final CallBudgets budgets;
    private final String appId;
    private final long timeoutMs;
    private AccessToken token;

    AccountHttp(HttpClient client, TokenVault vault, CallBudgets budgets, String appId, AccessToken token, long timeoutMs) {
        this.client = client;
        this.vault = vault;
        this.budgets = budgets;
        this.appId = appId;
        this.token = token;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public String baseUrl() {
        return token.baseUrl().replaceAll("/+$", "");
    }

    @Override
    public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        check(pathAndQuery);
        Upstream.Response r = once(method, pathAndQuery, headers, body);
        if (r.status() == 401) {
            token = vault.afterRejection(appId, token.accountId(), token);
            r = once(method, pathAndQuery, headers, body);
        }
        return r;
    }

    private Upstream.Response once(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        budgets.spend(token.accountId(), token.budget()); // the same budget as the proxy's
        org.eclipse.jetty.client.Request request = client.newRequest(baseUrl() + pathAndQuery).method(method)
                .timeout(timeoutMs, TimeUnit.MILLISECONDS);
        request.headers(h -> {
            h.put("Accept", "application/json");
            headers.forEach(h::put);
            token.headers().forEach(h::put);
        });
        if (body != null) {
            request.body(new StringRequestContent(headers.getOrDefault("Content-Type", "application/json"), body));
        }
        try {
            ContentResponse response = request.send();
            Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField f : response.getHeaders()) {
                fields.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
            }
            return new Upstream.Response(response.getStatus(), fields, response.getContentAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("the CRM did not answer within " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
        }
    }

    /** Only paths below the base URL (the rule the proxy applies too). */
    static void check(String pathAndQuery) {
        int q = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
        String path = pathAndQuery == null ? null : q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (path == null || path.isEmpty() || UpstreamPaths.problem(path, q < 0 ? null : pathAndQuery.substring(q + 1)) != null) {
            throw invalid();
        }
    }

    private static ProblemException invalid() {
        return new ProblemException(400, "bad-request", "Bad Request", "the cursor or id leads outside the account's API");
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
