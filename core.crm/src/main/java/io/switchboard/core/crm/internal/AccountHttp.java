package io.switchboard.core.crm.internal;

import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.crm.api.CrmException;
import io.switchboard.core.crm.api.CrmHttp;
import io.switchboard.core.crm.api.CrmObject;
import io.switchboard.core.crm.api.CrmRecord;
import io.switchboard.core.crm.api.CrmShape;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine a CRM connector runs on for one unified call: the account's calls ({@link AccountCalls}:
 * its base URL, its token, the budget, one refresh and retry on 401), the JSON codec, and the
 * reading of records and refusals as the connector's {@link CrmShape} declares them.
 */
final class AccountHttp implements CrmHttp {
    private final AccountCalls calls;
    private final CrmShape shape;

    AccountHttp(AccountCalls calls, CrmShape shape) {
        this.calls = calls;
        this.shape = shape;
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
        return calls.parseObject(json);
    }

    @Override
    public Object parse(String json) throws IOException {
        return calls.parse(json);
    }

    @Override
    public String write(Object value) throws IOException {
        return calls.write(value);
    }

    // ---- the engine

    @Override
    public Map<String, Object> object(Upstream.Response response) throws CrmException, IOException {
        check(response);
        return parseObject(response.body());
    }

    @Override
    public void check(Upstream.Response r) throws CrmException {
        if (r.ok()) {
            return;
        }
        CrmShape.Errors errors = shape.errors();
        String code = "";
        String message = "HTTP " + r.status();
        try {
            Object body = parse(r.body());
            if (errors.arrayBody() && body instanceof List<?> list && !list.isEmpty()) {
                body = list.get(0);
            }
            if (body instanceof Map<?, ?> e && e.get(errors.codeMember()) != null) {
                code = String.valueOf(e.get(errors.codeMember()));
                message = code + ": " + e.get(errors.messageMember());
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status as the message
        }
        CrmException.Kind kind = errors.notFoundCodes().contains(code) ? CrmException.Kind.NOT_FOUND
                : errors.rateLimitCodes().contains(code) ? CrmException.Kind.RATE_LIMITED : CrmException.Kind.ofStatus(r.status());
        Duration retry = null;
        if (kind == CrmException.Kind.RATE_LIMITED) {
            List<String> wait = errors.retryAfterMillisHeader() == null ? List.of()
                    : r.headers().getOrDefault(errors.retryAfterMillisHeader(), List.of());
            retry = wait.isEmpty() || !wait.get(0).trim().matches("\\d{1,9}") ? errors.defaultRetryAfter()
                    : Duration.ofMillis(Long.parseLong(wait.get(0).trim()));
        }
        throw new CrmException(kind, r.status(), message, retry);
    }

    @Override
    public CrmShape.Table table(CrmObject type) throws CrmException {
        CrmShape.Table table = shape.tables().get(type);
        if (table == null) {
            throw new CrmException(CrmException.Kind.NOT_SUPPORTED, 0, "this CRM has no " + type.path(), null);
        }
        return table;
    }

    @Override
    public CrmRecord record(CrmObject type, Map<String, Object> remote) throws CrmException {
        Map<String, ?> values = shape.fieldsMember() == null ? remote
                : remote.get(shape.fieldsMember()) instanceof Map<?, ?> m ? cast(m) : Map.of();
        Map<String, Object> fields = new LinkedHashMap<>();
        table(type).fields().forEach((name, remoteName) -> fields.putIfAbsent(name, values.get(remoteName)));
        return new CrmRecord(String.valueOf(remote.get(shape.idMember())), type, fields, remote);
    }

    @Override
    public List<CrmRecord> records(CrmObject type, Map<String, Object> body) throws CrmException {
        List<CrmRecord> out = new ArrayList<>();
        if (body.get(shape.recordsMember()) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add(record(type, cast(m)));
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> toRemote(CrmObject type, Map<String, Object> unified) throws CrmException {
        Map<String, String> mapping = table(type).fields();
        Map<String, Object> out = new LinkedHashMap<>();
        unified.forEach((name, value) -> {
            String remote = mapping.get(name);
            if (remote != null) {
                out.put(remote, shape.stringValues() && value != null ? String.valueOf(value) : value);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
