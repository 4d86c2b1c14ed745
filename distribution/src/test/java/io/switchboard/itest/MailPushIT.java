package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.testkit.mailbox.FakeGraph;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 16, provider push as an accelerator of the sync: with {@code push.url} set, a synced
 * Microsoft mailbox gets Graph subscriptions (after Graph's check of the URL, answered by echoing
 * its token), a notification wakes the account's sync at once (the interval is an hour here, so
 * only the notification can explain the change arriving), a delivery with a wrong
 * {@code clientState} wakes nothing, and the lifecycle events are followed: reauthorization by a
 * renewal, a removed subscription by a new one, missed notifications by a run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailPushIT extends ConnectorTestSupport {
    private static MailboxProviders providers;

    @Override
    protected Map<String, String> configFiles() {
        Map<String, String> files = new LinkedHashMap<>(super.configFiles());
        files.put("switchboard.jobs.cfg", "poll.interval.ms=200\n");
        files.put("switchboard.mailsync.cfg", "push.url=http://127.0.0.1:$[prop:org.osgi.service.http.port]\nmin.interval.seconds=60\n");
        return files;
    }

    private static Http.Answer sync(Http http, String method, String account, String body) {
        return LinkingIT.developer(http, method, providers.app.app(), providers.app.secret(), "accounts/" + account + "/sync", body);
    }

    private static Set<String> indexed(Http http, String account) {
        Http.Answer a = LinkingIT.developer(http, "GET", providers.app.app(), providers.app.secret(), "accounts/" + account
                + "/sync/messages?limit=500", null);
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        a.json().path("changed").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(100);
        }
    }

    private static String lastRun(Http http, String account) {
        return sync(http, "GET", account, null).json().path("lastRunAt").asText();
    }

    @Test
    public void graphNotificationsWakeTheSyncAndItsLifecycleEventsAreFollowed() throws Exception {
        Http http = awaitHealthy();
        providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        FakeGraph graph = providers.graph;
        graph.allowHttpNotifications();
        String user = "push-" + UUID.randomUUID().toString().substring(0, 8);
        graph.deliver(user, "ann@customer.example", "First", "<p>1</p>", Instant.now());
        String account = providers.linkMicrosoft(http, user);
        Http.Answer on = sync(http, "PUT", account, "{\"intervalSeconds\":3600}");
        assertThat(on.status()).as(on.toString()).isEqualTo(201);
        await("the first full sync and its subscriptions", Duration.ofSeconds(60), () -> {
            JsonNode status = sync(http, "GET", account, null).json();
            return status.path("ready").asBoolean() && status.path("push").size() == 2;
        });

        List<Map<String, Object>> subscriptions = graph.subscriptions(user);
        assertThat(subscriptions).extracting(s -> s.get("resource")).containsExactlyInAnyOrder("me/messages", "me/events");
        for (Map<String, Object> s : subscriptions) {
            assertThat(String.valueOf(s.get("notificationUrl"))).endsWith("/v1/push/microsoft");
            assertThat(s.get("lifecycleNotificationUrl")).isEqualTo(s.get("notificationUrl"));
            assertThat(String.valueOf(s.get("changeType"))).isEqualTo("created,updated,deleted");
            assertThat(String.valueOf(s.get("clientState")).length()).isBetween(32, 128);
            Instant expires = Instant.parse(String.valueOf(s.get("expirationDateTime")));
            assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(10_000)), Instant.now().plus(Duration.ofMinutes(10_080)));
        }

        String second = graph.deliver(user, "bob@customer.example", "Second", "<p>2</p>", Instant.now());
        await("the notified message in the index (the interval is an hour)", Duration.ofSeconds(20), () -> indexed(http, account).contains(second));
        assertThat(graph.notificationDeliveries()).last().isEqualTo(202);

        String before = lastRun(http, account);
        graph.forgeNotification(user);
        assertThat(graph.notificationDeliveries()).last().as("answered like any delivery").isEqualTo(202);
        Thread.sleep(2000);
        assertThat(lastRun(http, account)).as("a wrong clientState wakes nothing").isEqualTo(before);

        int renewals = graph.subscriptionRenewals(user);
        graph.lifecycle(user, "reauthorizationRequired");
        await("both subscriptions renewed", Duration.ofSeconds(20), () -> graph.subscriptionRenewals(user) >= renewals + 2);

        Set<Object> old = new HashSet<>(graph.subscriptions(user).stream().map(s -> s.get("id")).toList());
        graph.lifecycle(user, "subscriptionRemoved");
        await("new subscriptions for the removed ones", Duration.ofSeconds(20), () -> {
            List<Map<String, Object>> now = graph.subscriptions(user);
            return now.size() == 2 && now.stream().noneMatch(s -> old.contains(s.get("id")));
        });

        String beforeMissed = lastRun(http, account);
        graph.lifecycle(user, "missed");
        await("a run after missed notifications", Duration.ofSeconds(20), () -> !lastRun(http, account).equals(beforeMissed));

        Http.Answer echo = http.send(http.request("v1/push/microsoft?validationToken=Validation%3A%20a%2Bb%20c")
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("Validation: a+b c");
        assertThat(String.valueOf(echo.contentType())).startsWith("text/plain");
        Http.Answer none = http.send(http.request("v1/push/salesforce").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[]}")).build());
        assertThat(none.status()).isEqualTo(404);

        // A delivery for a subscription Switchboard does not hold is answered (Graph would retry otherwise) and wakes nothing.
        Http.Answer stray = http.send(http.request("v1/push/microsoft").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[{\"subscriptionId\":\"not-ours\",\"clientState\":\"x\","
                        + "\"changeType\":\"created\",\"resource\":\"me/messages/1\"}]}")).build());
        assertThat(stray.status()).as(stray.toString()).isEqualTo(202);

        assertThat(sync(http, "DELETE", account, null).status()).isEqualTo(204);
        assertThat(graph.subscriptions(user)).as("switched off: its subscriptions ended at Graph").isEmpty();
        int delivered = graph.notificationDeliveries().size();
        graph.deliver(user, "cy@customer.example", "After", "<p>3</p>", Instant.now());
        assertThat(graph.notificationDeliveries()).as("nothing delivered for it any more").hasSize(delivered);
    }
}
