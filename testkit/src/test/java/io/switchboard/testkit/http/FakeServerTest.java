package io.switchboard.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeServerTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void routesRecordsAndMisbehavesOnDemand() throws Exception {
        try (FakeServer fake = new FakeServer()) {
            fake.route("POST", "/echo", req -> FakeResponse.json(201, req.bodyText()));
            assertThat(fake.baseUri().getHost()).isEqualTo("127.0.0.1");

            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(fake.baseUri().resolve("/echo?x=%2F"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).header("X-Test", "1").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(201);
            assertThat(ok.body()).isEqualTo("{\"a\":1}");
            assertThat(fake.requests()).singleElement().satisfies(r -> {
                assertThat(r.query()).isEqualTo("x=%2F");
                assertThat(r.header("x-test")).isEqualTo("1");
            });

            fake.failNext(1, FakeResponse.json(429, "{}").withHeader("Retry-After", "7"));
            HttpResponse<String> limited = client.send(HttpRequest.newBuilder(fake.baseUri().resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");

            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(fake.baseUri().resolve("/nothing")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);

            fake.latency(Duration.ofMillis(300));
            long start = System.nanoTime();
            client.send(HttpRequest.newBuilder(fake.baseUri().resolve("/echo")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }
}
