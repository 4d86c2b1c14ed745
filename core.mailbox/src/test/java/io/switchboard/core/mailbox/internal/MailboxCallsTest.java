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
}
