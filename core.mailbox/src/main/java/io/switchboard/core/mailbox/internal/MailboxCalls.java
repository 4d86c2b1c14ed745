package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A mailbox connector's HTTP for one call: the account's calls ({@link AccountCalls}) and the
 * reading of refusals. Graph and Google answer errors alike, {@code {"error":{"code","message"}}}
 * (Google adds {@code status} and {@code errors[].reason}); both throttle with 429 (Graph also
 * 503) and {@code Retry-After}, and Gmail also with 403 {@code rateLimitExceeded} /
 * {@code userRateLimitExceeded}.
 */
final class MailboxCalls implements MailboxHttp {
    private static final List<String> RATE_REASONS = List.of("rateLimitExceeded", "userRateLimitExceeded");

    private final AccountCalls calls;

    MailboxCalls(AccountCalls calls) {
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
        return calls.parseObject(json);
    }

    @Override
    public String write(Object value) throws IOException {
        return calls.write(value);
    }

    @Override
    public Map<String, Object> object(Upstream.Response r) throws ProviderRefusal, IOException {
        if (r.ok()) {
            return r.body() == null || r.body().isBlank() ? Map.of() : parseObject(r.body());
        }
        throw refusal(r, calls::parse);
    }

    /** Reads a JSON value. */
    @FunctionalInterface
    interface JsonReader {
        Object parse(String json) throws IOException;
    }

    /** The refusal a provider's answer says ({@code json} reads its body). */
    static ProviderRefusal refusal(Upstream.Response r, JsonReader json) {
        String message = "HTTP " + r.status();
        String reason = "";
        try {
            if (json.parse(r.body()) instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error) {
                Object code = error.get("status") instanceof String status ? status : error.get("code");
                message = code + ": " + error.get("message");
                if (error.get("errors") instanceof List<?> errors && !errors.isEmpty() && errors.get(0) instanceof Map<?, ?> first
                        && first.get("reason") instanceof String why) {
                    reason = why;
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status as the message
        }
        Duration retryAfter = retryAfter(r);
        boolean throttled = r.status() == 429 || RATE_REASONS.contains(reason) || r.status() == 503 && retryAfter != null;
        ProviderRefusal.Kind kind = throttled ? ProviderRefusal.Kind.RATE_LIMITED : ProviderRefusal.Kind.ofStatus(r.status());
        return new ProviderRefusal(kind, r.status(), message, throttled ? retryAfter : null);
    }

    private static Duration retryAfter(Upstream.Response r) {
        List<String> values = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(e -> e.getValue().stream()).toList();
        return !values.isEmpty() && values.get(0).trim().matches("\\d{1,6}") ? Duration.ofSeconds(Long.parseLong(values.get(0).trim())) : null;
    }
}
