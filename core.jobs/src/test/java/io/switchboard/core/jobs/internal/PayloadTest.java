package io.switchboard.core.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.api.jobs.JobRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void aRunsDataSurvivesTheTableAsJson() {
        Map<String, Object> data = new HashMap<>();
        data.put("n", 42);
        data.put("nested", Map.of("list", List.of("a", "b")));
        data.put("none", null);
        Payload run = Payload.of(JobRequest.of("crm.sync", "acc-1").forApp("app").forAccount("acc-1").withData(data)
                .every(Duration.ofMinutes(15)));
        String stored = new String(new TextSerializer().serialize(run.write()), java.nio.charset.StandardCharsets.UTF_8);
        Payload back = Payload.read(new TextSerializer().deserialize(String.class, stored.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(run);
        assertThat(back.id()).isEqualTo("crm.sync/acc-1");
        assertThat(back.every()).isEqualTo(900_000L);
        assertThat(back.attempt(3).attempt()).isEqualTo(3);
        assertThat(back.waiting().waitingForType()).isTrue();
        assertThat(back.waiting().attempt(2).waitingForType()).as("a new attempt no longer waits for its type").isFalse();
    }
}
