package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.webhooks.FakeWebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Webhook endpoints get the proxy's address rule (docs/security.md): without the test-only
 * {@code allow.private.addresses}, an endpoint on a loopback, private or link-local address (the
 * cloud metadata service) gets no request, whatever its URL says (the outbound resolver refuses the
 * address before connecting); each attempt is logged as
 * refused and the delivery fails.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebhookSafetyIT extends SwitchboardTestSupport {

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + IdentityIT.ADMIN + "\n",
                "switchboard.jobs.cfg", "poll.interval.ms=200\n",
                "switchboard.webhooks.cfg", "allow.http=true\nattempts=2\nretry.first.delay.ms=100\nretry.max.delay.ms=100\n");
    }

    @Test
    public void endpointsOnPrivateAddressesAreNeverConnectedTo() {
        Http http = awaitHealthy();
        JsonNode app = admin(http, "POST", "admin/v1/apps", Map.of("name", "ssrf app")).json();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            String loopback = receiver.url(); // http://127.0.0.1:<port>/hooks
            String localhost = loopback.replace("127.0.0.1", "localhost");
            for (String url : List.of(loopback, localhost, "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hooks",
                    "http://[::1]:" + receiver.port() + "/hooks")) {
                Http.Answer created = LinkingIT.developer(http, "POST", app.path("id").asText(), app.path("secret").asText(), "webhooks",
                        "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                String id = created.json().path("id").asText();
                LinkingIT.developer(http, "POST", app.path("id").asText(), app.path("secret").asText(), "webhooks/" + id + "/test", null);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                JsonNode delivery;
                do {
                    assertThat(System.nanoTime()).as("the delivery to " + url + " fails").isLessThan(deadline);
                    sleep(100);
                    JsonNode items = LinkingIT.developer(http, "GET", app.path("id").asText(), app.path("secret").asText(),
                            "webhooks/" + id + "/deliveries", null).json().path("items");
                    delivery = items.size() == 0 ? null : items.get(0);
                } while (delivery == null || !delivery.path("state").asText().equals("failed"));
                assertThat(delivery.path("log")).hasSize(2);
                assertThat(delivery.path("log").get(0).path("status").isNull()).as(url).isTrue();
                assertThat(delivery.path("log").get(0).path("error").asText()).as(url).isNotBlank();
            }
            assertThat(receiver.requests()).as("no connection reached the receiver").isEmpty();
        }
    }
}
