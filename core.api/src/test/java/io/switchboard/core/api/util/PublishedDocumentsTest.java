package io.switchboard.core.api.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.api.connector.Upstream;
import io.switchboard.testkit.time.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache of published documents: lifetime from Cache-Control, one refetch per cool-down, failures kept out. */
class PublishedDocumentsTest {
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String body = "v1";
    private volatile int status = 200;
    private volatile String cacheControl = "max-age=600";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> failures = new ArrayList<>();
    private final Upstream http = new Upstream() {
        @Override
        public Response send(Request request) {
            fetches.incrementAndGet();
            return new Response(status, Map.of("Cache-Control", List.of(cacheControl)), body);
        }

        @Override
        public Map<String, Object> parseObject(String json) throws IOException {
            throw new IOException("unused");
        }
    };
    private final PublishedDocuments<String> documents = new PublishedDocuments<>(http, text -> {
        if (text.startsWith("bad")) {
            throw new IllegalArgumentException("not a document");
        }
        return text;
    }, Duration.ofSeconds(60), false, clock, failures::add);

    @Test
    void keepsACopyForItsMaxAgeAndRefetchesALackingOneOncePerCooldown() {
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v1");
        body = "v2";
        for (int i = 0; i < 50; i++) { // lacking, but fetched less than a cool-down ago
            assertThat(documents.get("https://idp.example/keys", d -> d.equals("v3"))).contains("v1");
        }
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofSeconds(61));
        for (int i = 0; i < 50; i++) { // one refetch, still lacking: no more until the next cool-down
            assertThat(documents.get("https://idp.example/keys", d -> d.equals("v3"))).contains("v2");
        }
        assertThat(fetches).hasValue(2);
        clock.advance(Duration.ofSeconds(61));
        body = "v3";
        assertThat(documents.get("https://idp.example/keys", d -> d.equals("v3"))).contains("v3");
        assertThat(fetches).hasValue(3);
        clock.advance(Duration.ofSeconds(599));
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v3"); // still fresh
        clock.advance(Duration.ofSeconds(2));
        body = "v4";
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v4"); // expired
        assertThat(fetches).hasValue(4);
    }

    @Test
    void aFailedRefetchKeepsTheEarlierCopyAndIsNotRetriedWithinTheCooldown() {
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v1");
        status = 503;
        clock.advance(Duration.ofSeconds(3600));
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v1");
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v1");
        assertThat(fetches).hasValue(2);
        status = 200;
        body = "bad";
        clock.advance(Duration.ofSeconds(61));
        assertThat(documents.get("https://idp.example/keys", d -> true)).contains("v1");
        assertThat(failures).hasSize(2).allSatisfy(f -> assertThat(f).startsWith("https://idp.example/keys: "));
        assertThat(documents.get("http://idp.example/plain", d -> true)).isEmpty();
        assertThat(fetches).hasValue(3); // plain http is never fetched here
    }

    @Test
    void lifetimeIsMaxAgeClampedToFiveMinutesAndADay() {
        assertThat(PublishedDocuments.ttl(List.of("public, max-age=3600"))).isEqualTo(Duration.ofHours(1));
        assertThat(PublishedDocuments.ttl(List.of("max-age=1"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(PublishedDocuments.ttl(List.of("max-age=99999999999999999999"))).isEqualTo(Duration.ofHours(24));
        assertThat(PublishedDocuments.ttl(List.of("no-store"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(PublishedDocuments.ttl(List.of())).isEqualTo(Duration.ofHours(24));
    }
}
