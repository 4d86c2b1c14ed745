package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Calls to one account's API: paths stay below the account's base URL (the rule the proxy
 * applies too), the connector's budget is spent per attempt and its limit on calls at once kept
 * (waiting up to the call's timeout for a place), the token's headers are added, and a 401 gets
 * one refresh (the vault's single flight) and one retry.
 */
final class TokenBoundCalls implements AccountCalls {
    private final PlainCalls calls;
    private final AccountBudgets budgets;
    private final UnaryOperator<AccessToken> afterRejection;
    private final Duration timeout;
    private AccessToken token;

    TokenBoundCalls(PlainCalls calls, AccountBudgets budgets, AccessToken token, UnaryOperator<AccessToken> afterRejection,
                    Duration timeout) {
        this.calls = calls;
        this.budgets = budgets;
        this.token = token;
        this.afterRejection = afterRejection;
        this.timeout = timeout;
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
            token = afterRejection.apply(token);
            r = once(method, pathAndQuery, headers, body);
        }
        return r;
    }

    private Upstream.Response once(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        budgets.spend(token.accountId(), token.budget());
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(token.headers());
        if (body != null) {
            all.putIfAbsent("Content-Type", "application/json");
        }
        try (AccountBudgets.Slot slot = budgets.hold(token.accountId(), token.budget(), timeout)) {
            return calls.send(new Upstream.Request(method, baseUrl() + pathAndQuery, all, body), timeout);
        } catch (NetworkAddresses.NotPublicException e) {
            throw NetworkAddresses.NotPublicException.problem();
        }
    }

    @Override
    public Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, InputStream content, long length)
            throws IOException {
        check(pathAndQuery);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(token.headers());
        Upstream.Response r = upload(new Upstream.Request(method, baseUrl() + pathAndQuery, all, null), content, length);
        if (r.status() == 401) { // the body is spent: the next call has a fresh token
            token = afterRejection.apply(token);
        }
        return r;
    }

    @Override
    public Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) throws IOException {
        URI target;
        URI own = URI.create(baseUrl());
        try {
            target = new URI(url);
        } catch (URISyntaxException e) {
            throw new ProblemException(400, "bad-request", "Bad Request", "the provider's upload address is not a URL");
        }
        boolean https = "https".equalsIgnoreCase(target.getScheme()) && target.getHost() != null;
        boolean ownHost = own.getScheme().equalsIgnoreCase(target.getScheme()) && own.getHost().equalsIgnoreCase(String.valueOf(target.getHost()));
        if (!https && !ownHost || target.getRawUserInfo() != null) {
            throw new ProblemException(400, "bad-request", "Bad Request", "the provider's upload address is not HTTPS");
        }
        return upload(new Upstream.Request(method, target.toString(), headers, null), new java.io.ByteArrayInputStream(content), content.length);
    }

    /** One upload within the account's budget and calls at once. */
    private Upstream.Response upload(Upstream.Request request, InputStream content, long length) throws IOException {
        budgets.spend(token.accountId(), token.budget());
        try (AccountBudgets.Slot slot = budgets.hold(token.accountId(), token.budget(), timeout)) {
            return calls.upload(request, content, length, timeout);
        } catch (NetworkAddresses.NotPublicException e) {
            throw NetworkAddresses.NotPublicException.problem();
        }
    }

    @Override
    public Streamed open(String method, String pathAndQuery, Map<String, String> headers) throws IOException {
        check(pathAndQuery);
        Streamed s = openOnce(method, pathAndQuery, headers);
        if (s.status() == 401) {
            s.close();
            token = afterRejection.apply(token);
            s = openOnce(method, pathAndQuery, headers);
        }
        return s;
    }

    /** One attempt; its place among the account's calls at once is held until the answer is closed. */
    private Streamed openOnce(String method, String pathAndQuery, Map<String, String> headers) throws IOException {
        budgets.spend(token.accountId(), token.budget());
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(token.headers());
        AccountBudgets.Slot slot = budgets.hold(token.accountId(), token.budget(), timeout);
        try {
            return calls.open(new Upstream.Request(method, baseUrl() + pathAndQuery, all, null), timeout, slot::close);
        } catch (NetworkAddresses.NotPublicException e) {
            slot.close();
            throw NetworkAddresses.NotPublicException.problem();
        } catch (IOException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        return ProviderJson.object(json);
    }

    @Override
    public Object parse(String json) throws IOException {
        return ProviderJson.any(json);
    }

    @Override
    public String write(Object value) throws IOException {
        return ProviderJson.write(value);
    }

    /** Only paths below the base URL. */
    static void check(String pathAndQuery) {
        int q = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
        String path = pathAndQuery == null ? null : q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (path == null || path.isEmpty() || UpstreamPaths.problem(path, q < 0 ? null : pathAndQuery.substring(q + 1)) != null) {
            throw new ProblemException(400, "bad-request", "Bad Request", "the cursor or id leads outside the account's API");
        }
    }
}
