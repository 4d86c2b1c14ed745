package io.switchboard.core.mailbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Graph's and Google's refusals, read the one way both write them. */
class MailboxCallsTest {

    private static ProviderRefusal refusal(int status, String body, Map<String, List<String>> headers) {
        return MailboxCalls.refusal(new Upstream.Response(status, headers, body), json -> new ObjectMapper().readValue(json, Object.class));
    }

    @Test
    void graphsRefusalsKeepTheirCodeAndThrottlingItsRetryAfter() {
        ProviderRefusal missing = refusal(404, "{\"error\":{\"code\":\"ErrorItemNotFound\",\"message\":\"The specified object was not found in the "
                + "store.\",\"innerError\":{\"request-id\":\"r\"}}}", Map.of());
        assertThat(missing.kind()).isEqualTo(ProviderRefusal.Kind.NOT_FOUND);
        assertThat(missing.getMessage()).isEqualTo("ErrorItemNotFound: The specified object was not found in the store.");
        ProviderRefusal throttled = refusal(429, "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"over the limit\"}}",
                Map.of("retry-after", List.of("17")));
        assertThat(throttled.kind()).isEqualTo(ProviderRefusal.Kind.RATE_LIMITED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(refusal(503, "{}", Map.of("Retry-After", List.of("5"))).kind()).as("503 with Retry-After: Graph's throttling")
                .isEqualTo(ProviderRefusal.Kind.RATE_LIMITED);
        assertThat(refusal(503, "<html>down</html>", Map.of()).kind()).isEqualTo(ProviderRefusal.Kind.UPSTREAM);
        assertThat(refusal(400, "{\"error\":{\"code\":\"ErrorInvalidIdMalformed\",\"message\":\"Id is malformed.\"}}", Map.of()).kind())
                .isEqualTo(ProviderRefusal.Kind.VALIDATION);
    }

    @Test
    void gmailsQuota403IsThrottlingAndItsStatusNamesTheRefusal() {
        ProviderRefusal quota = refusal(403, "{\"error\":{\"code\":403,\"message\":\"User-rate limit exceeded\",\"errors\":[{\"domain\":"
                + "\"usageLimits\",\"reason\":\"userRateLimitExceeded\"}]}}", Map.of());
        assertThat(quota.kind()).isEqualTo(ProviderRefusal.Kind.RATE_LIMITED);
        assertThat(quota.problem("the mailbox").headers()).containsEntry("Retry-After", "10");
        ProviderRefusal forbidden = refusal(403, "{\"error\":{\"code\":403,\"message\":\"Insufficient Permission\",\"status\":"
                + "\"PERMISSION_DENIED\",\"errors\":[{\"reason\":\"insufficientPermissions\"}]}}", Map.of());
        assertThat(forbidden.kind()).isEqualTo(ProviderRefusal.Kind.VALIDATION);
        assertThat(forbidden.getMessage()).isEqualTo("PERMISSION_DENIED: Insufficient Permission");
    }

    /** An account's calls for these tests: each double overrides what it uses; the rest is not called. */
    private abstract static class TestCalls implements io.switchboard.core.outbound.api.AccountCalls {
        @Override
        public String baseUrl() {
            return "https://api.example";
        }

        @Override
        public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Streamed open(String method, String pathAndQuery, Map<String, String> headers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, java.io.InputStream content, long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> parseObject(String json) throws java.io.IOException {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        }

        @Override
        public Object parse(String json) throws java.io.IOException {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
        }

        @Override
        public String write(Object value) {
            return "{}";
        }
    }

    /** Calls a budget refuses twice (429, Retry-After 1) and then lets through. */
    private static io.switchboard.core.outbound.api.AccountCalls spentTwice(java.util.concurrent.atomic.AtomicInteger tries) {
        return new TestCalls() {
            @Override
            public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) {
                if (tries.incrementAndGet() <= 2) {
                    throw new io.switchboard.core.api.ProblemException(429, "rate-limited", "Too Many Requests", "spent").withHeader("Retry-After", "1");
                }
                return new Upstream.Response(200, Map.of(), "{}");
            }
        };
    }

    /** Calls whose every download answers {@code status} with {@code body}; {@code closed} counts closed answers. */
    private static io.switchboard.core.outbound.api.AccountCalls answering(int status, String body, java.util.concurrent.atomic.AtomicInteger closed) {
        return new TestCalls() {
            @Override
            public Streamed open(String method, String pathAndQuery, Map<String, String> headers) {
                java.io.InputStream in = new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    @Override
                    public void close() {
                        closed.incrementAndGet();
                    }
                };
                return new Streamed(status, Map.of("Content-Type", java.util.List.of("application/json")), in);
            }
        };
    }

    /**
     * Gmail's content comes as a base64url member of a JSON answer: decoded with or without
     * padding, the members before it skipped (arrays and objects included), the answer closed
     * after; a refusal is read as one and closed too.
     */
    @Test
    void aBase64MemberIsDecodedFromItsJsonAnswerAndARefusalIsReadAsOne() throws Exception {
        byte[] content = new byte[100_001];
        new java.util.Random(7).nextBytes(content);
        for (java.util.Base64.Encoder encoder : java.util.List.of(java.util.Base64.getUrlEncoder(), java.util.Base64.getUrlEncoder().withoutPadding())) {
            java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
            String json = "{\"attachmentId\":\"ANGj\",\"labelIds\":[\"A\",{\"b\":[1,{\"data\":\"AAAA\"}]}],\"size\":100001,\"data\":\""
                    + encoder.encodeToString(content) + "\",\"after\":1}";
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (io.switchboard.core.mailbox.api.MailContent c = new MailboxCalls(answering(200, json, closed), false)
                    .downloadBase64Member("/x", "data", "application/pdf", "a.pdf", 100_001)) {
                assertThat(c.contentType()).isEqualTo("application/pdf");
                c.body().writeTo(out);
            }
            assertThat(out.toByteArray()).isEqualTo(content);
            assertThat(closed.get()).isEqualTo(1);
        }
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MailboxCalls(answering(404, "{\"error\":{\"code\":404,\"message\":"
                + "\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}", closed), false).downloadBase64Member("/x", "data", "a/b", null, -1))
                .isInstanceOfSatisfying(ProviderRefusal.class, r -> assertThat(r.kind()).isEqualTo(ProviderRefusal.Kind.NOT_FOUND));
        assertThat(closed.get()).isEqualTo(1);
    }

    @Test
    void backgroundCallsWaitForTheAccountsBudgetAndUsersCallsDoNot() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        assertThat(new MailboxCalls(spentTwice(tries), true).send("GET", "/x", Map.of(), null).status()).isEqualTo(200);
        assertThat(tries.get()).as("two waits of Retry-After, then the call").isEqualTo(3);
        tries.set(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MailboxCalls(spentTwice(tries), false).send("GET", "/x", Map.of(), null))
                .isInstanceOf(io.switchboard.core.api.ProblemException.class);
        assertThat(tries.get()).isEqualTo(1);
    }
}
