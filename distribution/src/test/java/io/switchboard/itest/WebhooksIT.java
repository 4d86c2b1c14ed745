package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.RuntimeIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.AccountIdentity;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.events.Events;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.TokenVault;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.PrometheusText;
import io.switchboard.itest.support.LogCapture;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.webhooks.FakeWebhookReceiver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 15, webhooks: a developer's endpoint (testkit's receiver, which checks every signature
 * with its own code) hears of the app's accounts through the outbox, signed per Standard
 * Webhooks; retries, the delivery log, replay, test events, rotation and disabling. Retry delays
 * are compressed by configuration (200 ms, doubling to 400 ms, 4 attempts).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebhooksIT extends SwitchboardTestSupport {
    static final String API = "api://webhooks";
    static final String TENANT = "aaaaaaaa-2222-3333-4444-555555555555";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Object setUpFor;
    static FakeEntraId entra;
    static String app;
    static String appSecret;
    static String userId;

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + IdentityIT.ADMIN + "\nallow.insecure.issuers=true\n",
                "switchboard.outbound.cfg", "allow.private.addresses=true\n", // the receiver listens on loopback
                "switchboard.jobs.cfg", "poll.interval.ms=200\n",
                "switchboard.linking.cfg", "connector.events.grace.seconds=1\n",
                "switchboard.webhooks.cfg", "allow.http=true\nattempts=4\nretry.first.delay.ms=200\nretry.max.delay.ms=400\ntimeout.seconds=1\n");
    }

    private synchronized Http setUp() {
        Http http = awaitHealthy();
        if (setUpFor != context) {
            if (entra != null) {
                entra.close();
            }
            entra = new FakeEntraId();
            Http.Answer created = admin(http, "POST", "admin/v1/apps", Map.of("name", "webhooks app", "settings", Map.of("identity",
                    Map.of("entra", Map.of("audiences", List.of(API), "tenants", List.of(TENANT), "authority", entra.authority())))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            app = created.json().path("id").asText();
            appSecret = created.json().path("secret").asText();
            JsonNode session = IdentityIT.signIn(http, app, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "x")
                    .build()));
            userId = session.path("user").path("id").asText();
            setUpFor = context;
        }
        return http;
    }

    @Test
    public void aLinkedAccountIsAnnouncedSignedOnceItsTransactionCommitsAndARolledBackOneNever() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver(); LogCapture logs = LogCapture.start()) {
            JsonNode endpoint = create(http, receiver.url(), List.of("account.linked", "account.deleted", "itest.rolled_back"));
            String secret = endpoint.path("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(developer(http, "GET", "webhooks/" + endpoint.path("id").asText(), null).body())
                    .as("the secret is shown once").doesNotContain(secret);

            // A change that rolls back sends nothing.
            Store store = service(Store.class, null);
            EntityManagerFactory unit = service(EntityManagerFactory.class, "(osgi.unit.name=switchboard.vault)");
            Events events = service(Events.class, null);
            try {
                store.run(unit, em -> {
                    events.publish(em, app, "itest.rolled_back", Map.of("n", 1));
                    throw new IllegalStateException("the change fails");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            // The vault links an account: its event is written in the same transaction.
            TokenVault vault = service(TokenVault.class, null);
            String account = vault.storeLinked(app, userId, "itest-crm", new AccountIdentity("ext-1", "Ann", "https://api.example"),
                    new TokenSet("at_SECRETTOKEN", "rt_SECRETTOKEN", null, List.of(), Map.of()), "https://token.example", null);
            await("the delivery", () -> receiver.deliveries().size() == 1);
            FakeRequest delivery = receiver.deliveries().get(0);
            assertThat(FakeWebhookReceiver.verifies(delivery, secret)).as("signed with the endpoint's secret").isTrue();
            assertThat(FakeWebhookReceiver.verifies(delivery, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                    .as("and with no other").isFalse();
            JsonNode body = JSON.readTree(delivery.bodyText());
            assertThat(body.path("type").asText()).isEqualTo("account.linked");
            assertThat(body.path("data").path("account").asText()).isEqualTo(account);
            assertThat(body.path("data").path("connector").asText()).isEqualTo("itest-crm");
            assertThat(delivery.header("webhook-id")).startsWith("evt_");
            assertThat(delivery.bodyText()).doesNotContain("SECRETTOKEN");
            sleep(1000);
            assertThat(receiver.deliveries()).as("the rolled-back event never came").hasSize(1);

            // Unlinking announces account.deleted.
            assertThat(vault.unlink(app, null, account)).isTrue();
            await("account.deleted", () -> receiver.deliveries().size() == 2);
            assertThat(JSON.readTree(receiver.deliveries().get(1).bodyText()).path("type").asText()).isEqualTo("account.deleted");
            for (LogCapture.Line line : logs.lines()) {
                assertThat(line.message()).doesNotContain(secret).doesNotContain("whsec_").doesNotContain("SECRETTOKEN");
            }
        }
    }

    @Test
    public void failuresAreRetriedHonourRetryAfterAndAreLoggedThenTheDeliveryFailsAndCanBeReplayed() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            JsonNode endpoint = create(http, receiver.url(), List.of("*"));
            String id = endpoint.path("id").asText();
            // Two 500s, then a 429 asking for 1 s, then success.
            receiver.failNext(2, FakeResponse.json(500, "{\"error\":\"down\"}"));
            receiver.failNext(1, FakeResponse.json(429, "{}").withHeader("Retry-After", "1"));
            assertThat(developer(http, "POST", "webhooks/" + id + "/test", null).status()).isEqualTo(202);
            await("delivered on the fourth attempt", () -> deliveries(http, id).size() == 1
                    && deliveries(http, id).get(0).path("state").asText().equals("delivered"));
            List<FakeRequest> received = receiver.deliveries();
            assertThat(received).hasSize(4);
            assertThat(received.stream().map(r -> r.header("webhook-id")).distinct()).as("one id across retries").hasSize(1);
            assertThat(received).allSatisfy(r -> assertThat(FakeWebhookReceiver.verifies(r, endpoint.path("secret").asText())).isTrue());
            JsonNode log = deliveries(http, id).get(0).path("log");
            assertThat(log).hasSize(4);
            assertThat(log.get(0).path("status").asInt()).isEqualTo(500);
            assertThat(log.get(0).path("response").asText()).contains("down");
            assertThat(log.get(2).path("status").asInt()).isEqualTo(429);
            assertThat(Duration.between(Instant.parse(log.get(2).path("at").asText()), Instant.parse(log.get(3).path("at").asText())))
                    .as("Retry-After honoured").isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // /metrics: the attempts by result, the delivery, the runs that made them, the queue gauges
            String metrics = http.send(http.request("metrics").header("Authorization", "Bearer " + IdentityIT.ADMIN).GET().build()).body();
            assertThat(PrometheusText.value(metrics, "switchboard_webhooks_attempts_seconds_count", "result", "5xx")).isGreaterThanOrEqualTo(2);
            assertThat(PrometheusText.value(metrics, "switchboard_webhooks_attempts_seconds_count", "result", "4xx")).isGreaterThanOrEqualTo(1);
            assertThat(PrometheusText.value(metrics, "switchboard_webhooks_deliveries_total", "outcome", "delivered")).isGreaterThanOrEqualTo(1);
            assertThat(PrometheusText.value(metrics, "switchboard_jobs_runs_seconds_count", "type", "webhooks.deliver", "outcome", "retry"))
                    .isGreaterThanOrEqualTo(3);
            assertThat(PrometheusText.value(metrics, "switchboard_jobs_start_delay_seconds_count", "type", "webhooks.deliver"))
                    .isGreaterThanOrEqualTo(4);
            assertThat(PrometheusText.has(metrics, "switchboard_webhooks_queue_age_seconds")).isTrue();
            assertThat(PrometheusText.has(metrics, "switchboard_jobs")).isTrue();
            assertThat(PrometheusText.value(metrics, "switchboard_jobs", "state", "dead")).isGreaterThanOrEqualTo(0);
            assertThat(PrometheusText.value(metrics, "http_server_requests_seconds_count", "uri", "/admin/v1/apps/{app}/webhooks/{id}/test",
                    "status", "202")).isGreaterThanOrEqualTo(1);
            assertThat(PrometheusText.has(metrics, "jvm_memory_used_bytes")).as("the JVM's meters").isTrue();

            // An endpoint that always fails: four attempts, then the delivery fails; replay sends the same event again.
            receiver.failNext(4, FakeResponse.json(503, "{}"));
            String before = receiver.deliveries().get(0).header("webhook-id");
            assertThat(developer(http, "POST", "webhooks/" + id + "/test", null).status()).isEqualTo(202);
            await("failed", () -> deliveries(http, id).stream().anyMatch(d -> d.path("state").asText().equals("failed")));
            JsonNode failed = deliveries(http, id).stream().filter(d -> d.path("state").asText().equals("failed")).findFirst().orElseThrow();
            assertThat(failed.path("attempts").asInt()).isEqualTo(4);
            String failedEvent = receiver.deliveries().get(receiver.deliveries().size() - 1).header("webhook-id");
            assertThat(failedEvent).isNotEqualTo(before);
            Http.Answer replay = developer(http, "POST", "webhooks/" + id + "/deliveries/" + failed.path("id").asText() + "/replay", null);
            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            await("replayed", () -> receiver.deliveries().get(receiver.deliveries().size() - 1).header("webhook-id").equals(failedEvent)
                    && deliveries(http, id).get(0).path("state").asText().equals("delivered"));
        }
    }

    @Test
    public void aClosedPortAndASlowEndpointAreFailedAttemptsWithTheirReason() throws Exception {
        Http http = setUp();
        JsonNode closed = create(http, "http://127.0.0.1:1/hooks", List.of("*"));
        developer(http, "POST", "webhooks/" + closed.path("id").asText() + "/test", null);
        await("failed", () -> !deliveries(http, closed.path("id").asText()).isEmpty()
                && deliveries(http, closed.path("id").asText()).get(0).path("state").asText().equals("failed"));
        JsonNode log = deliveries(http, closed.path("id").asText()).get(0).path("log");
        assertThat(log).hasSize(4);
        assertThat(log.get(0).path("status").isNull()).isTrue();
        assertThat(log.get(0).path("error").asText()).isNotBlank();
        try (FakeWebhookReceiver slow = new FakeWebhookReceiver()) {
            slow.latency(Duration.ofSeconds(3)); // over timeout.seconds (1 here)
            JsonNode endpoint = create(http, slow.url(), List.of("*"));
            developer(http, "POST", "webhooks/" + endpoint.path("id").asText() + "/test", null);
            await("a timed-out attempt", () -> !deliveries(http, endpoint.path("id").asText()).isEmpty()
                    && deliveries(http, endpoint.path("id").asText()).get(0).path("log").size() >= 1);
            JsonNode first = deliveries(http, endpoint.path("id").asText()).get(0).path("log").get(0);
            assertThat(first.path("latencyMs").asInt()).isBetween(900, 2900);
            assertThat(first.path("error").asText()).contains("within 1000 ms");
        }
    }

    @Test
    public void aRotatedSecretSignsBesideTheOldOneDuringTheOverlapAndADisabledEndpointHearsNothing() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            JsonNode endpoint = create(http, receiver.url(), List.of("*"));
            String id = endpoint.path("id").asText();
            String old = endpoint.path("secret").asText();
            Http.Answer rotated = developer(http, "POST", "webhooks/" + id + "/rotate-secret", "{\"overlapSeconds\":3600}");
            assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
            String fresh = rotated.json().path("secret").asText();
            assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
            developer(http, "POST", "webhooks/" + id + "/test", null);
            await("delivered", () -> receiver.deliveries().size() == 1);
            FakeRequest delivery = receiver.deliveries().get(0);
            assertThat(delivery.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(FakeWebhookReceiver.verifies(delivery, fresh)).isTrue();
            assertThat(FakeWebhookReceiver.verifies(delivery, old)).as("the old secret still verifies during the overlap").isTrue();

            Http.Answer disabled = developer(http, "PATCH", "webhooks/" + id, "{\"enabled\":false}");
            assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
            service(TokenVault.class, null).storeLinked(app, userId, "itest-crm", new AccountIdentity("ext-9", "Bo", "https://api.example"),
                    new TokenSet("at_x", null, null, List.of(), Map.of()), "https://token.example", null);
            sleep(1500);
            assertThat(receiver.deliveries()).as("a disabled endpoint hears nothing").hasSize(1);
        }
    }

    @Test
    public void anEndpointFailingForFiveDaysIsDisabledAndTheAppsEventsSaySo() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver failing = new FakeWebhookReceiver(); FakeWebhookReceiver watcher = new FakeWebhookReceiver()) {
            String bad = create(http, failing.url(), List.of("webhook.test")).path("id").asText();
            String watching = create(http, watcher.url(), List.of(Events.WEBHOOK_ENDPOINT_DISABLED)).path("id").asText();
            failing.failNext(100, FakeResponse.json(500, "{}"));
            developer(http, "POST", "webhooks/" + bad + "/test", null);
            await("the first delivery failed", () -> !deliveries(http, bad).isEmpty()
                    && deliveries(http, bad).get(0).path("state").asText().equals("failed"));
            JsonNode failingEndpoint = developer(http, "GET", "webhooks/" + bad, null).json();
            assertThat(failingEndpoint.path("enabled").asBoolean()).as("four days short of the rule").isTrue();
            assertThat(failingEndpoint.path("failingSince").asText()).isNotBlank();

            // The test clock: the endpoint has been failing for five days and a minute. Its next failure disables it.
            DataSource db = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "UPDATE webhook_endpoint SET failing_since = ? WHERE id = ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(5)).minus(Duration.ofMinutes(1))));
                s.setString(2, bad);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            developer(http, "POST", "webhooks/" + bad + "/test", null);
            await("disabled", () -> !developer(http, "GET", "webhooks/" + bad, null).json().path("enabled").asBoolean());
            assertThat(developer(http, "GET", "webhooks/" + bad, null).json().path("disabledReason").asText()).contains("5 days");
            await("the app's other endpoint is told", () -> watcher.deliveries().size() == 1);
            JsonNode told = JSON.readTree(watcher.deliveries().get(0).bodyText());
            assertThat(told.path("type").asText()).isEqualTo("webhook.endpoint_disabled");
            assertThat(told.path("data").path("endpoint").asText()).isEqualTo(bad);
            JsonNode events = developer(http, "GET", "webhooks/events?type=webhook.endpoint_disabled", null).json().path("items");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).path("body").path("data").path("endpoint").asText()).isEqualTo(bad);
            assertThat(events.get(0).path("id").asText()).isEqualTo(watcher.deliveries().get(0).header("webhook-id"));
            int attemptsBefore = failing.deliveries().size();
            developer(http, "POST", "webhooks/" + bad + "/test", null);
            sleep(1000);
            assertThat(failing.deliveries()).as("a disabled endpoint is not called").hasSize(attemptsBefore);

            // Enabled again, it starts afresh.
            JsonNode enabled = developer(http, "PATCH", "webhooks/" + bad, "{\"enabled\":true}").json();
            assertThat(enabled.path("enabled").asBoolean()).isTrue();
            assertThat(enabled.path("failingSince").isNull()).isTrue();
            assertThat(enabled.path("disabledReason").isNull()).isTrue();
            developer(http, "DELETE", "webhooks/" + watching, null);
            developer(http, "DELETE", "webhooks/" + bad, null);
        }
    }

    @Test
    public void aRevokedAccountIsAnnouncedKeptAndUnusableUntilLinkedAgain() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            String endpoint = create(http, receiver.url(), List.of(Events.ACCOUNT_REVOKED, Events.ACCOUNT_LINKED)).path("id").asText();
            TokenVault vault = service(TokenVault.class, null);
            AccountIdentity identity = new AccountIdentity("ext-revoked", "Cy", "https://api.example");
            String account = vault.storeLinked(app, userId, "itest-crm", identity,
                    new TokenSet("at_REVOKEME", "rt_REVOKEME", null, List.of(), Map.of()), "https://token.example", null);
            Http.Answer revoked = developer(http, "POST", "accounts/" + account + "/revoke", null);
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
            assertThat(revoked.json().path("id").asText()).as("the account is kept").isEqualTo(account);
            assertThat(revoked.json().path("status").asText()).isEqualTo("REVOKED");
            try (Connection c = service(DataSource.class, "(osgi.jndi.service.name=switchboard)").getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT refresh_token, expires_at FROM account WHERE id = ?")) {
                s.setString(1, account);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).as("the refresh token is gone").isNull();
                }
            }
            await("account.revoked", () -> receiver.deliveries().stream().anyMatch(r -> r.bodyText().contains("account.revoked")));
            JsonNode event = JSON.readTree(receiver.deliveries().stream().filter(r -> r.bodyText().contains("account.revoked"))
                    .findFirst().orElseThrow().bodyText());
            assertThat(event.path("data").path("account").asText()).isEqualTo(account);
            assertThat(event.path("data").path("status").asText()).isEqualTo("REVOKED");
            assertThat(event.path("data").path("revokedAtProvider").asBoolean()).as("no such connector installed").isFalse();
            try {
                vault.accessToken(app, account);
                org.junit.Assert.fail("a revoked account has no token");
            } catch (io.switchboard.core.api.ProblemException e) {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.slug()).isEqualTo("reauth-required");
            }
            assertProblem(developer(http, "POST", "accounts/acc_nope/revoke", null), 404, "not-found");
            // Linking it again makes it usable.
            assertThat(vault.storeLinked(app, userId, "itest-crm", identity, new TokenSet("at_NEW", null, null, List.of(), Map.of()),
                    "https://token.example", null)).isEqualTo(account);
            assertThat(vault.appAccount(app, account).orElseThrow().status()).as("active again; itest-crm is not installed here")
                    .isEqualTo(TokenVault.Status.CONNECTOR_MISSING);
            assertThat(catchThrowable(() -> vault.accessToken(app, account))).isInstanceOfSatisfying(
                    io.switchboard.core.api.ProblemException.class, e -> assertThat(e.slug()).isEqualTo("connector-unavailable"));
            developer(http, "DELETE", "webhooks/" + endpoint, null);
        }
    }

    @Test
    public void connectorsComingAndGoingAreAnnouncedOnceAndAnUpdateIsNot() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            String endpoint = create(http, receiver.url(), List.of(Events.CONNECTOR_INSTALLED, Events.CONNECTOR_REMOVED))
                    .path("id").asText();
            ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
            Configuration config = ca.getFactoryConfiguration("switchboard.connector.generic", "announced", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("connector.id", "itest-announced");
            p.put("display.name", "Announced");
            p.put("authorization.url", "https://login.example/authorize");
            p.put("token.url", "https://login.example/token");
            p.put("userinfo.url", "https://login.example/userinfo");
            p.put("api.base.url", "https://api.example");
            config.update(p);
            await("connector.installed", () -> types(receiver).contains("connector.installed"));
            JsonNode installed = JSON.readTree(receiver.deliveries().get(0).bodyText());
            assertThat(installed.path("data").path("connector").asText()).isEqualTo("itest-announced");

            p.put("display.name", "Announced, renamed"); // the connector goes and comes back at once: nothing to say
            config.update(p);
            sleep(3000);
            assertThat(types(receiver)).containsExactly("connector.installed");

            config.delete();
            await("connector.removed", () -> types(receiver).contains("connector.removed"));
            sleep(2000);
            assertThat(types(receiver)).containsExactly("connector.installed", "connector.removed");
            developer(http, "DELETE", "webhooks/" + endpoint, null);
        }
    }

    @Test
    public void aConnectorGoneWhileTheServerWasDownIsAnnouncedByTheCheckOfAll() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver receiver = new FakeWebhookReceiver()) {
            String endpoint = create(http, receiver.url(), List.of(Events.CONNECTOR_REMOVED)).path("id").asText();
            // announced as installed once, and not installed now: it went while no instance ran
            try (Connection c = service(DataSource.class, "(osgi.jndi.service.name=switchboard)").getConnection();
                 PreparedStatement s = c.prepareStatement("INSERT INTO linking_connector (id, installed_at) VALUES (?, ?)")) {
                s.setString(1, "itest-gone");
                s.setTimestamp(2, Timestamp.from(Instant.now().minus(Duration.ofDays(1))));
                s.executeUpdate();
            }
            // the check of all connectors, as the engine's arrival schedules it at every start
            service(io.switchboard.core.api.jobs.Jobs.class, null).schedule(
                    io.switchboard.core.api.jobs.JobRequest.of("linking.connector-check", "all@itest").withData(Map.of()));
            await("connector.removed", () -> types(receiver).contains("connector.removed"));
            JsonNode removed = JSON.readTree(receiver.deliveries().get(0).bodyText());
            assertThat(removed.path("data").path("connector").asText()).isEqualTo("itest-gone");
            service(io.switchboard.core.api.jobs.Jobs.class, null).schedule(
                    io.switchboard.core.api.jobs.JobRequest.of("linking.connector-check", "all@itest-again").withData(Map.of()));
            sleep(2000);
            assertThat(types(receiver)).as("announced once").containsExactly("connector.removed");
            developer(http, "DELETE", "webhooks/" + endpoint, null);
        }
    }

    /** The outbox keeps retention.days (30) of settled events; a delivery still pending keeps its event however old. */
    @Test
    public void settledEventsPastTheRetentionAreDeletedWithTheirDeliveriesAndAPendingOneIsKept() throws Exception {
        Http http = setUp();
        try (FakeWebhookReceiver ok = new FakeWebhookReceiver(); FakeWebhookReceiver down = new FakeWebhookReceiver()) {
            String delivered = create(http, ok.url(), List.of("webhook.test")).path("id").asText();
            String failed = create(http, down.url(), List.of("webhook.test")).path("id").asText();
            String stuck = create(http, ok.url(), List.of("webhook.test")).path("id").asText();
            down.failNext(100, FakeResponse.json(500, "{}"));
            for (String endpoint : List.of(delivered, failed, stuck)) {
                developer(http, "POST", "webhooks/" + endpoint + "/test", null);
            }
            await("settled", () -> List.of(delivered, failed, stuck).stream().allMatch(e -> !deliveries(http, e).isEmpty()
                    && !deliveries(http, e).get(0).path("state").asText().equals("pending")));
            DataSource db = service(DataSource.class, "(osgi.jndi.service.name=switchboard)");
            try (Connection c = db.getConnection();
                 PreparedStatement age = c.prepareStatement("UPDATE webhook_event SET created_at = ? WHERE id IN "
                         + "(SELECT event_id FROM webhook_delivery WHERE endpoint_id IN (?, ?, ?))");
                 PreparedStatement pending = c.prepareStatement("UPDATE webhook_delivery SET state = 'pending' WHERE endpoint_id = ?")) {
                age.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(31))));
                age.setString(2, delivered);
                age.setString(3, failed);
                age.setString(4, stuck);
                assertThat(age.executeUpdate()).isEqualTo(3);
                pending.setString(1, stuck); // as if its retries were still under way
                assertThat(pending.executeUpdate()).isEqualTo(1);
            }
            developer(http, "POST", "webhooks/" + delivered + "/test", null); // a recent event stays
            await("the recent one delivered", () -> ok.deliveries().size() == 3);
            int attemptsBefore = count(db, "SELECT COUNT(*) FROM webhook_attempt");

            service(io.switchboard.core.api.jobs.Jobs.class, null).schedule(io.switchboard.core.api.jobs.JobRequest.of("webhooks.retention",
                    "itest-" + UUID.randomUUID()));
            await("pruned", () -> deliveries(http, failed).isEmpty());
            assertThat(deliveries(http, delivered)).as("the recent delivery").hasSize(1);
            assertThat(deliveries(http, stuck)).as("the pending one and its event").hasSize(1);
            assertThat(count(db, "SELECT COUNT(*) FROM webhook_attempt")).as("the pruned deliveries' attempts went too")
                    .isLessThan(attemptsBefore);
            assertThat(count(db, "SELECT COUNT(*) FROM webhook_attempt a WHERE NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.id = a.delivery_id)"))
                    .isZero();
        }
    }

    private static int count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); java.sql.ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> types(FakeWebhookReceiver receiver) {
        return receiver.deliveries().stream().map(r -> {
            try {
                return JSON.readTree(r.bodyText()).path("type").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    public void endpointsAreValidatedAndBelongToTheirApp() {
        Http http = setUp();
        assertProblem(developer(http, "POST", "webhooks", "{\"url\":\"ftp://example.com/x\",\"events\":[\"*\"]}"), 400, "invalid-endpoint-url");
        assertProblem(developer(http, "POST", "webhooks", "{\"url\":\"https://user:pw@example.com/x\",\"events\":[\"*\"]}"), 400,
                "invalid-endpoint-url");
        assertProblem(developer(http, "POST", "webhooks", "{\"url\":\"https://example.com/x\",\"events\":[]}"), 400, "bad-request");
        assertProblem(developer(http, "GET", "webhooks/we_nope", null), 404, "not-found");
        assertProblem(http.get("admin/v1/apps/" + app + "/webhooks"), 401, "unauthorized");
    }

    private JsonNode create(Http http, String url, List<String> events) throws Exception {
        Http.Answer created = developer(http, "POST", "webhooks", JSON.writeValueAsString(Map.of("url", url, "events", events,
                "description", "itest")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static List<JsonNode> deliveries(Http http, String endpoint) {
        Http.Answer answer = developer(http, "GET", "webhooks/" + endpoint + "/deliveries", null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        answer.json().path("items").forEach(out::add);
        return out;
    }

    private static Http.Answer developer(Http http, String method, String path, String body) {
        return LinkingIT.developer(http, method, app, appSecret, path, body);
    }
}
