package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.itest.support.Http;
import io.switchboard.testkit.crm.FakeHubSpot;
import io.switchboard.testkit.crm.FakeSalesforce;
import io.switchboard.testkit.identity.FakeEntraId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Operators replace connectors while the server serves: with a client calling the unified CRM API
 * on a HubSpot and a Salesforce account without pause, the Salesforce bundle in {@code deploy/}
 * is replaced 20 times and removed and put back once. HubSpot calls never fail; Salesforce calls
 * succeed or answer 503 {@code connector-unavailable} while the connector is away; no core
 * bundle stops or restarts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UpgradeUnderLoadIT extends ConnectorTestSupport {

    @Test
    public void replacingTheSalesforceConnectorTwentyTimesUnderLoad() throws Exception {
        Http http = awaitHealthy();
        try (FakeEntraId entra = new FakeEntraId();
                FakeSalesforce salesforce = new FakeSalesforce("sf-client", "sf-secret");
                FakeHubSpot hubspot = new FakeHubSpot("hs-client", "hs-secret")) {
            hubspot.budget(1_000_000);
            salesforce.registerRedirectUri(http.base() + "v1/connect/callback");
            hubspot.registerRedirectUri(http.base() + "v1/connect/callback");
            ConfigurationAdmin ca = service(ConfigurationAdmin.class, null);
            configure(ca, "switchboard.connector.salesforce", Map.of("login.url", salesforce.loginUrl(),
                    "trusted.test.hosts", new String[] {"127.0.0.1"}));
            configure(ca, "switchboard.connector.hubspot", Map.of("authorization.url", hubspot.authorizeUrl(),
                    "token.url", hubspot.tokenUrl(), "api.url", hubspot.baseUri().toString(),
                    "budget.requests", "0")); // no outbound budget: this test calls HubSpot without pause
            AppSession a = appWith(http, entra, "salesforce", "sf-client", "sf-secret");
            Http.Answer hs = LinkingIT.developer(http, "PUT", a.app(), a.secret(), "connectors/hubspot",
                    "{\"clientId\":\"hs-client\",\"clientSecret\":\"hs-secret\"}");
            assertThat(hs.status()).as(hs.toString()).isEqualTo(200);
            String session = a.session();
            String sfAccount = link(http, session, "salesforce", salesforce.authorizeUrl());
            String hsAccount = link(http, session, "hubspot", hubspot.authorizeUrl());
            salesforce.seed("Contact", Map.of("LastName", "Load"));
            hubspot.seed("contacts", Map.of("lastname", "Load"));

            Map<Long, Long> coreBefore = coreBundles();
            List<String> coreEvents = new CopyOnWriteArrayList<>();
            BundleListener watcher = e -> {
                if (e.getBundle().getSymbolicName() != null && e.getBundle().getSymbolicName().startsWith("io.switchboard.core.")
                        && (e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UPDATED || e.getType() == BundleEvent.UNRESOLVED)) {
                    coreEvents.add(e.getBundle().getSymbolicName() + " " + e.getType());
                }
            };
            context.addBundleListener(watcher);

            AtomicBoolean running = new AtomicBoolean(true);
            Map<String, AtomicInteger> hubspotAnswers = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> salesforceAnswers = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            for (String[] target : new String[][] {{hsAccount, "hs"}, {sfAccount, "sf"}}) {
                Map<String, AtomicInteger> answers = target[1].equals("hs") ? hubspotAnswers : salesforceAnswers;
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        String outcome;
                        try {
                            Http.Answer r = crm(http, session, "GET", target[0] + "/contacts?limit=1", null);
                            outcome = r.status() == 503 ? "503 " + r.json().path("type").asText() : Integer.toString(r.status());
                        } catch (RuntimeException e) {
                            outcome = "exception " + e;
                        }
                        answers.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
                t.start();
                clients.add(t);
            }
            Path deploy = Path.of(context.getProperty("switchboard.home"), "deploy");
            Path jar = deploy.resolve("connector.salesforce.jar");
            Path staging = deploy.getParent().resolve("connector.salesforce.jar.staging");
            try {
                sleep(500);
                for (int i = 1; i <= 20; i++) {
                    long before = salesforceBundle().orElseThrow().getLastModified();
                    Files.copy(jar, staging, StandardCopyOption.REPLACE_EXISTING);
                    Files.setLastModifiedTime(staging, FileTime.from(Instant.now().plusSeconds(i)));
                    Files.move(staging, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    awaitUntil("update " + i, () -> salesforceBundle().map(b -> b.getLastModified() != before
                            && b.getState() == Bundle.ACTIVE).orElse(false));
                    awaitUntil("Salesforce answers after update " + i,
                            () -> crm(http, session, "GET", sfAccount + "/contacts?limit=1", null).status() == 200);
                }
                Files.move(jar, staging, StandardCopyOption.REPLACE_EXISTING);
                awaitUntil("the connector removed", () -> salesforceBundle().isEmpty());
                awaitUntil("Salesforce calls answer connector-unavailable",
                        () -> crm(http, session, "GET", sfAccount + "/contacts?limit=1", null).status() == 503);
                sleep(300);
                Files.move(staging, jar, StandardCopyOption.ATOMIC_MOVE);
                awaitUntil("the connector back", () -> crm(http, session, "GET", sfAccount + "/contacts?limit=1", null).status() == 200);
                sleep(300);
            } finally {
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                context.removeBundleListener(watcher);
            }
            assertThat(hubspotAnswers.keySet()).as("HubSpot answers: " + hubspotAnswers).containsExactly("200");
            assertThat(hubspotAnswers.get("200").get()).isGreaterThan(20);
            assertThat(salesforceAnswers.keySet()).as("Salesforce answers: " + salesforceAnswers)
                    .isSubsetOf("200", "503 urn:switchboard:problem:connector-unavailable");
            assertThat(salesforceAnswers.get("503 urn:switchboard:problem:connector-unavailable")).as("answers while absent").isNotNull();
            assertThat(coreEvents).as("core bundles stopped, updated or unresolved").isEmpty();
            assertThat(coreBundles()).as("core bundles: same ids, same revisions").isEqualTo(coreBefore);
        }
    }

    private void configure(ConfigurationAdmin ca, String pid, Map<String, Object> values) throws Exception {
        Configuration c = ca.getConfiguration(pid, "?");
        c.update(new Hashtable<>(values));
    }

    private static String link(Http http, String session, String connector, String authorizeUrl) {
        return client(http, session).linkThroughDialog(connector, authorizeUrl);
    }

    private Optional<Bundle> salesforceBundle() {
        for (Bundle b : context.getBundles()) {
            if ("io.switchboard.connector.salesforce".equals(b.getSymbolicName())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Core bundle id → last modified, for every io.switchboard.core.* bundle, all ACTIVE. */
    private Map<Long, Long> coreBundles() {
        Map<Long, Long> out = new java.util.TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.switchboard.core.")) {
                assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE);
                out.put(b.getBundleId(), b.getLastModified());
            }
        }
        return out;
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            sleep(50);
        }
    }
}
