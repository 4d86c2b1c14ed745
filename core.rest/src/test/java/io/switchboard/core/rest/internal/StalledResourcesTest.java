package io.switchboard.core.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StalledResourcesTest {
    private final StalledResources stalled = new StalledResources(Duration.ofSeconds(10));
    private final Instant t0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void aResourcePendingPastTheGracePeriodIsNamedOncePerPeriod() {
        assertThat(stalled.stalled(List.of("a", "b"), t0)).isEmpty();
        assertThat(stalled.stalled(List.of("a", "b"), t0.plusSeconds(5))).isEmpty();
        assertThat(stalled.stalled(List.of("a"), t0.plusSeconds(10))).containsExactly("a"); // b was served meanwhile
        assertThat(stalled.stalled(List.of("a"), t0.plusSeconds(15))).as("not again within the period").isEmpty();
        assertThat(stalled.stalled(List.of("a"), t0.plusSeconds(20))).containsExactly("a");
    }

    @Test
    void aResourceServedAndPendingAgainStartsAFreshGracePeriod() {
        stalled.stalled(List.of("a"), t0);
        stalled.stalled(List.of(), t0.plusSeconds(5));
        assertThat(stalled.stalled(List.of("a"), t0.plusSeconds(12))).isEmpty();
        assertThat(stalled.stalled(List.of("a"), t0.plusSeconds(22))).containsExactly("a");
    }
}
