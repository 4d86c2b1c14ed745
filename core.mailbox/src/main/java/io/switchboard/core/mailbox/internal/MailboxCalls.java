package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.mailbox.api.MailContent;
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

    /** The longest a background call waits for the account's budget, in all. */
    static final Duration MOST_PATIENCE = Duration.ofSeconds(60);

    private final AccountCalls calls;
    private final boolean patient;

    /**
     * @param patient a background run's calls: when the account's own budget is spent (or its calls
     *     at once are taken) they wait for it, up to {@link #MOST_PATIENCE} in all, rather than
     *     fail; a user's calls fail at once with the 429
     */
    MailboxCalls(AccountCalls calls, boolean patient) {
        this.calls = calls;
        this.patient = patient;
    }

    @Override
    public String baseUrl() {
        return calls.baseUrl();
    }

    @Override
    public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) throws IOException {
        long waited = 0;
        while (true) {
            try {
                return calls.send(method, pathAndQuery, headers, body);
            } catch (io.switchboard.core.api.ProblemException spent) {
                String after = spent.headers().get("Retry-After");
                long wait = after != null && after.matches("\\d{1,4}") ? Math.max(1, Long.parseLong(after)) * 1000 : -1;
                if (!patient || spent.status() != 429 || wait < 0 || waited + wait > MOST_PATIENCE.toMillis()) {
                    throw spent;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw spent;
                }
                waited += wait;
            }
        }
    }

    @Override
    public Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, java.io.InputStream content, long length)
            throws IOException {
        return calls.upload(method, pathAndQuery, headers, content, length);
    }

    @Override
    public Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) throws IOException {
        return calls.sendTo(url, method, headers, content);
    }

    @Override
    public MailContent download(String pathAndQuery, Map<String, String> headers, String name) throws ProviderRefusal, IOException {
        return StreamedContent.raw(open(pathAndQuery, headers), name);
    }

    @Override
    public MailContent downloadBase64Member(String pathAndQuery, String member, String contentType, String name, long size)
            throws ProviderRefusal, IOException {
        return StreamedContent.base64Member(open(pathAndQuery, Map.of("Accept", "application/json")), member, contentType, name, size);
    }

    /** A GET whose 2xx answer is handed over unread; any other is read (64 KiB at most) as a refusal. */
    private AccountCalls.Streamed open(String pathAndQuery, Map<String, String> headers) throws ProviderRefusal, IOException {
        AccountCalls.Streamed answer = calls.open("GET", pathAndQuery, headers);
        if (answer.ok()) {
            return answer;
        }
        throw refusal(StreamedContent.whole(answer), calls::parse);
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
