package io.switchboard.core.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(10), Duration.ofMinutes(1));

    @Test
    void delaysDoubleFromTheFirstUpToTheMaximumWithJitterInTheUpperHalf() {
        assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayBefore(2, 0.999_999)).isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
        assertThat(policy.delayBefore(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayBefore(4, 0.999_999)).isBetween(Duration.ofMillis(39_999), Duration.ofSeconds(40));
        assertThat(policy.delayBefore(5, 0.999_999)).as("capped").isBetween(Duration.ofMillis(59_999), Duration.ofMinutes(1));
        assertThat(policy.delayBefore(200, 0.5)).as("no overflow far out").isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    @Test
    void theDefaultSpreadsItsAttemptsOverHours() {
        Duration total = Duration.ZERO;
        for (int next = 2; next <= RetryPolicy.DEFAULT.maxAttempts(); next++) {
            total = total.plus(RetryPolicy.DEFAULT.delayBefore(next, 0.999_999));
        }
        assertThat(total).isBetween(Duration.ofHours(2), Duration.ofHours(4));
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsNameTheirTypeAndKeyPlainly() {
        JobRequest request = JobRequest.of("crm.sync", "acc-1").forAccount("acc-1").every(Duration.ofMinutes(15))
                .withData(Map.of("full", true));
        assertThat(request.account()).isEqualTo("acc-1");
        assertThat(request.every()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> JobRequest.of("crm.sync", "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobRequest.of("crm sync", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobRequest.of("t", "k").every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
