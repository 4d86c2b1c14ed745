package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.RuntimeIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.api.jobs.AccountUnusable;
import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.jobs.RetryLater;
import io.switchboard.core.api.jobs.RetryPolicy;
import io.switchboard.itest.probe.jobs.EffectJob;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.ProbeBundle;
import io.switchboard.itest.support.SwitchboardTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * Issue 15, jobs: runs scheduled through the {@link Jobs} service, done by {@link JobType}
 * services registered here (as a connector or a core bundle would), on the real runtime and its
 * database (H2 here, PostgreSQL in {@link PostgresJobsIT}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JobsIT extends SwitchboardTestSupport {

    /** The system property naming the folder with the job probe's versions ({@code 1.0.0.jar} … {@code 1.0.10.jar}). */
    static final String PROBE_VERSIONS = "itest.probe.jobs.versions";
    static final String PROBE = "io.switchboard.itest.probe.jobs";

    /** Builds the job probe's versions before the container starts (bnd runs outside it). */
    @org.ops4j.pax.exam.Configuration
    @Override
    public org.ops4j.pax.exam.Option[] config() throws java.io.IOException {
        Path dir = Files.createTempDirectory("probe-jobs-");
        try {
            for (int version = 0; version <= 10; version++) {
                ProbeBundle.buildJobs(dir.resolve("1.0." + version + ".jar"), "1.0." + version);
            }
        } catch (Exception e) {
            throw new java.io.IOException("building the job probe", e);
        }
        org.ops4j.pax.exam.Option[] base = super.config();
        org.ops4j.pax.exam.Option[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = org.ops4j.pax.exam.CoreOptions.systemProperty(PROBE_VERSIONS).value(dir.toString());
        return all;
    }

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + IdentityIT.ADMIN + "\n",
                // a short poll, so that retries and delayed runs come soon (runs due now start at once anyway)
                "switchboard.jobs.cfg", "poll.interval.ms=300\nheartbeat.seconds=2\n");
    }

    /** A job type that records its runs and does what the test tells it per attempt. */
    static class Recorder implements JobType {
        final String name;
        final List<JobContext> runs = new CopyOnWriteArrayList<>();
        final List<Instant> times = new CopyOnWriteArrayList<>();
        final RetryPolicy policy;
        volatile java.util.function.Consumer<JobContext> behaviour = job -> { };

        Recorder(String name, RetryPolicy policy) {
            this.name = name;
            this.policy = policy;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void run(JobContext job) {
            runs.add(job);
            times.add(Instant.now());
            behaviour.accept(job);
        }

        @Override
        public RetryPolicy retryPolicy() {
            return policy;
        }

        long runsOf(String key) {
            return runs.stream().filter(r -> r.key().equals(key)).count();
        }
    }

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    private Recorder register(String name, RetryPolicy policy) {
        Recorder type = new Recorder(name, policy);
        registrations.add(context.registerService(JobType.class, type, null));
        return type;
    }

    @org.junit.After
    public void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    @Test
    public void aRunDueNowStartsAtOnceOncePerKeyWithItsData() {
        awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.once", RetryPolicy.DEFAULT);
        String key = "k-" + UUID.randomUUID();
        // A run due in a moment: scheduling its key again while it waits is the same run.
        String waiting = "w-" + UUID.randomUUID();
        assertThat(jobs.schedule(JobRequest.of("itest.once", waiting).at(Instant.now().plusSeconds(2)))).isTrue();
        assertThat(jobs.schedule(JobRequest.of("itest.once", waiting))).as("the same key again is the same run").isFalse();
        assertThat(jobs.schedule(JobRequest.of("itest.once", key).forApp("app-1").forAccount("acc-1")
                .withData(Map.of("n", 42, "s", "x")))).isTrue();
        await("the run", () -> type.runsOf(key) == 1);
        await("the waiting run, once", () -> type.runsOf(waiting) == 1);
        JobContext run = type.runs.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
        assertThat(run.id()).isEqualTo("itest.once/" + key);
        assertThat(run.app()).isEqualTo("app-1");
        assertThat(run.account()).isEqualTo("acc-1");
        assertThat(run.data()).containsEntry("n", 42).containsEntry("s", "x");
        assertThat(run.attempt()).isEqualTo(1);
        sleep(1000);
        assertThat(type.runsOf(key)).as("done once").isEqualTo(1);
        assertThat(type.runsOf(waiting)).as("done once").isEqualTo(1);
        // Once done, the key is free again.
        assertThat(jobs.schedule(JobRequest.of("itest.once", key))).isTrue();
        await("the second run", () -> type.runsOf(key) == 2);
    }

    @Test
    public void aDelayedRunWaitsForItsTime() {
        awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.delayed", RetryPolicy.DEFAULT);
        Instant due = Instant.now().plusSeconds(2);
        jobs.schedule(JobRequest.of("itest.delayed", "d").at(due));
        await("the run", () -> type.runsOf("d") == 1);
        assertThat(type.times.get(0)).isAfterOrEqualTo(due);
    }

    @Test
    public void failedAttemptsBackOffThenTheRunIsDeadAndTheOperatorRetriesIt() {
        Http http = awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.failing", new RetryPolicy(3, Duration.ofMillis(200), Duration.ofMillis(400)));
        type.behaviour = job -> {
            throw new IllegalStateException("provider down, attempt " + job.attempt());
        };
        jobs.schedule(JobRequest.of("itest.failing", "f").forAccount("acc-f"));
        await("three attempts", () -> type.runsOf("f") == 3);
        await("dead", () -> items(http, "dead", "itest.failing").size() == 1);
        assertThat(type.runs).extracting(JobContext::attempt).containsExactly(1, 2, 3);
        // each retry waited at least half its back-off (200 ms, then 400 ms)
        assertThat(Duration.between(type.times.get(0), type.times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(type.times.get(1), type.times.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        JsonNode dead = items(http, "dead", "itest.failing").get(0);
        assertThat(dead.path("id").asText()).isEqualTo("itest.failing/f");
        assertThat(dead.path("account").asText()).isEqualTo("acc-f");
        assertThat(dead.path("attempts").asInt()).isEqualTo(3);
        assertThat(dead.path("lastError").asText()).contains("provider down, attempt 3");
        assertThat(admin(http, "GET", "admin/v1/jobs/counts", null).json().path("byType").path("itest.failing").path("dead").asInt())
                .isEqualTo(1);
        sleep(1000);
        assertThat(type.runsOf("f")).as("a dead run is not retried by itself").isEqualTo(3);

        type.behaviour = job -> { };
        assertThat(admin(http, "POST", "admin/v1/jobs/dead/itest.failing/f/retry", null).status()).isEqualTo(202);
        await("retried", () -> type.runsOf("f") == 4);
        assertThat(type.runs.get(3).attempt()).as("from its first attempt").isEqualTo(1);
        await("no longer dead", () -> items(http, "dead", "itest.failing").isEmpty());
        assertProblem(admin(http, "POST", "admin/v1/jobs/dead/itest.failing/f/retry", null), 404, "not-found");
    }

    @Test
    public void aRunWhoseTypeIsNotInstalledWaitsAndRunsWhenTheTypeArrives() {
        Http http = awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        jobs.schedule(JobRequest.of("itest.late", "l"));
        await("waiting for its type", () -> items(http, "scheduled", "itest.late").size() == 1
                && items(http, "scheduled", "itest.late").get(0).path("state").asText().equals("waiting-for-type"));
        assertThat(items(http, "dead", "itest.late")).as("neither failed nor lost").isEmpty();
        Recorder type = register("itest.late", RetryPolicy.DEFAULT);
        await("run once its type is there", () -> type.runsOf("l") == 1);
        assertThat(type.runs.get(0).attempt()).as("waiting used up no attempt").isEqualTo(1);
    }

    @Test
    public void retryAfterPausesTheAccountsRunsAndReconsentHoldsThemUntilReleased() {
        Http http = awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.account", new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(100)));
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        type.behaviour = job -> {
            if (job.key().equals("first") && seen.merge(job.key(), 1, Integer::sum) == 1) {
                throw new RetryLater(Duration.ofSeconds(2), "429 from the provider");
            }
        };
        Instant paused = Instant.now();
        jobs.schedule(JobRequest.of("itest.account", "first").forAccount("acc-pause"));
        await("the first attempt", () -> type.runsOf("first") == 1);
        // the pause is in place once the failed run is due again (the hold is written before it is)
        await("the pause", () -> isWaiting(http, "first", 2));
        jobs.schedule(JobRequest.of("itest.account", "second").forAccount("acc-pause"));
        jobs.schedule(JobRequest.of("itest.account", "other").forAccount("acc-other"));
        await("another account's run is not held", () -> type.runsOf("other") == 1);
        await("both after the pause", () -> type.runsOf("first") == 2 && type.runsOf("second") == 1);
        for (JobContext run : type.runs) {
            if (run.account().equals("acc-pause") && !(run.key().equals("first") && run.attempt() == 1)) {
                assertThat(type.times.get(type.runs.indexOf(run))).as(run.id() + " waited for the pause")
                        .isAfterOrEqualTo(paused.plusMillis(1900));
            }
        }

        // The grant is dead: the account's runs wait, using up no attempt, until the account is linked again.
        type.behaviour = job -> {
            if (job.key().equals("dead-grant") && seen.merge(job.key(), 1, Integer::sum) == 1) {
                throw new AccountUnusable("REAUTH_REQUIRED");
            }
        };
        jobs.schedule(JobRequest.of("itest.account", "dead-grant").forAccount("acc-reauth"));
        await("the refused attempt", () -> type.runsOf("dead-grant") == 1);
        await("the hold", () -> isWaiting(http, "dead-grant", 1));
        jobs.schedule(JobRequest.of("itest.account", "later").forAccount("acc-reauth"));
        sleep(1500);
        assertThat(type.runsOf("dead-grant") + type.runsOf("later")).as("held").isEqualTo(1);
        jobs.release("acc-reauth");
        await("released", () -> type.runsOf("dead-grant") == 2 && type.runsOf("later") == 1);
        assertThat(type.runs.stream().filter(r -> r.key().equals("dead-grant")).map(JobContext::attempt).toList())
                .as("the hold used up no attempt").containsExactly(1, 1);
    }

    @Test
    public void aTypesConcurrencyLimitHoldsPerKeyAndOtherKeysRunBeside() {
        awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Map<String, java.util.concurrent.atomic.AtomicInteger> now = new ConcurrentHashMap<>();
        Map<String, Integer> most = new ConcurrentHashMap<>();
        Recorder type = new Recorder("itest.limited", RetryPolicy.DEFAULT) {
            @Override
            public int concurrencyLimit() {
                return 2;
            }
        };
        type.behaviour = job -> {
            int running = now.computeIfAbsent(job.account(), a -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            most.merge(job.account(), running, Math::max);
            sleep(300);
            now.get(job.account()).decrementAndGet();
        };
        registrations.add(context.registerService(JobType.class, type, null));
        for (int i = 0; i < 8; i++) {
            jobs.schedule(JobRequest.of("itest.limited", "mailbox-a-" + i).forAccount("mailbox-a"));
        }
        for (int i = 0; i < 4; i++) {
            jobs.schedule(JobRequest.of("itest.limited", "mailbox-b-" + i).forAccount("mailbox-b"));
        }
        await("every run", () -> type.runs.size() == 12);
        assertThat(most.get("mailbox-a")).as("at most 2 at once per mailbox, and 2 did run together").isEqualTo(2);
        assertThat(most.get("mailbox-b")).isLessThanOrEqualTo(2);
        assertThat(type.runs).extracting(JobContext::attempt).as("waiting for a slot uses up no attempt").containsOnly(1);
    }

    @Test
    public void aRecurringRunRepeatsUntilCancelled() {
        Http http = awaitHealthy();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.every", RetryPolicy.DEFAULT);
        jobs.schedule(JobRequest.of("itest.every", "acc-9").forAccount("acc-9").every(Duration.ofMillis(400)));
        await("three runs", () -> type.runsOf("acc-9") >= 3);
        for (int i = 1; i < 3; i++) {
            assertThat(Duration.between(type.times.get(i - 1), type.times.get(i))).as("the interval between runs")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
        assertThat(items(http, "scheduled", "itest.every").get(0).path("everySeconds").isNumber()).isTrue();
        await("cancelled", () -> jobs.cancel("itest.every", "acc-9"));
        long runs = type.runsOf("acc-9");
        sleep(1500);
        assertThat(type.runsOf("acc-9")).as("no run after the cancel").isLessThanOrEqualTo(runs + 1);
        assertThat(items(http, "scheduled", "itest.every")).isEmpty();
    }

    @Test
    public void runsOutliveARestartOfTheJobsBundle() throws Exception {
        awaitHealthy();
        Bundle bundle = java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.switchboard.core.jobs")).findFirst().orElseThrow();
        Recorder type = register("itest.restart", RetryPolicy.DEFAULT);
        service(Jobs.class, null).schedule(JobRequest.of("itest.restart", "r").at(Instant.now().plusSeconds(2)));
        bundle.stop();
        sleep(2500);
        assertThat(type.runsOf("r")).as("nothing runs while the bundle is stopped").isZero();
        bundle.start();
        await("the run, after the restart", () -> type.runsOf("r") == 1);
    }

    /**
     * Issue 15's upgrade test: the bundle of a job type (the probe's {@link io.switchboard.itest.probe.jobs.EffectJob},
     * dropped into {@code deploy/}) is replaced ten times while its runs are due: every run is done
     * once, none is dead or lost, and runs were done by the versions in between.
     */
    @Test
    public void aJobTypesBundleUpdatedTenTimesWhileItsRunsAreDueLosesNone() throws Exception {
        Http http = awaitHealthy();
        Path deploy = Path.of(context.getProperty("switchboard.home"), "deploy");
        Path jar = deploy.resolve("probe-jobs.jar");
        Path staging = deploy.getParent().resolve("probe-jobs.jar.staging");
        Path versions = Path.of(System.getProperty(PROBE_VERSIONS));
        Files.copy(versions.resolve("1.0.0.jar"), staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, jar, StandardCopyOption.ATOMIC_MOVE);
        await("the probe's job type", () -> probeVersion().equals("1.0.0"));
        DataSource db = service(DataSource.class, "(switchboard.schemas=itest_effect)");
        Jobs jobs = service(Jobs.class, null);
        int runs = 1500;
        for (int i = 0; i < runs; i++) {
            jobs.schedule(JobRequest.of(EffectJob.NAME, "upgrade-" + i).withData(Map.of("millis", 20)));
        }
        for (int version = 1; version <= 10; version++) {
            String next = "1.0." + version;
            Files.copy(versions.resolve(next + ".jar"), staging, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(staging, FileTime.from(Instant.now().plusSeconds(version)));
            Files.move(staging, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await("version " + next + " active", () -> probeVersion().equals(next));
        }
        await("every run done", () -> count(db, "SELECT COUNT(*) FROM itest_effect WHERE job_key LIKE 'upgrade-%'") == runs);
        assertThat(count(db, "SELECT COUNT(DISTINCT job_key) FROM itest_effect WHERE job_key LIKE 'upgrade-%'")).isEqualTo(runs);
        assertThat(items(http, "dead", EffectJob.NAME)).as("dead runs").isEmpty();
        assertThat(items(http, "scheduled", EffectJob.NAME)).as("runs left").isEmpty();
        long workers = count(db, "SELECT COUNT(DISTINCT worker) FROM itest_effect WHERE job_key LIKE 'upgrade-%'");
        System.out.printf("upgrade test: %d runs done by %d versions of the job type's bundle, %d attempts%n", runs, workers,
                count(db, "SELECT COUNT(*) FROM itest_attempt WHERE job_key LIKE 'upgrade-%'"));
        assertThat(workers).as("versions of the bundle that did runs").isGreaterThan(1);
        Files.delete(jar);
        await("the probe removed", () -> probeVersion().isEmpty());
    }

    private String probeVersion() {
        return java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals(PROBE) && b.getState() == Bundle.ACTIVE
                        && b.getRegisteredServices() != null && b.getRegisteredServices().length > 0)
                .map(b -> b.getVersion().toString()).findFirst().orElse("");
    }

    private static long count(DataSource db, String sql) {
        try (java.sql.Connection c = db.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void aDeveloperSeesAndRetriesTheirOwnAppsRunsOnly() {
        Http http = awaitHealthy();
        JsonNode mine = admin(http, "POST", "admin/v1/apps", Map.of("name", "jobs app")).json();
        JsonNode theirs = admin(http, "POST", "admin/v1/apps", Map.of("name", "other jobs app")).json();
        String app = mine.path("id").asText();
        String secret = mine.path("secret").asText();
        Jobs jobs = service(Jobs.class, null);
        Recorder type = register("itest.apps", new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        type.behaviour = job -> {
            if (job.attempt() == 1 && !job.data().containsKey("retried")) {
                throw new IllegalStateException("refused");
            }
        };
        jobs.schedule(JobRequest.of("itest.apps", "mine").forApp(app));
        jobs.schedule(JobRequest.of("itest.apps", "theirs").forApp(theirs.path("id").asText()));
        await("both dead", () -> items(http, "dead", "itest.apps").size() == 2);
        Http.Answer own = LinkingIT.developer(http, "GET", app, secret, "jobs?state=dead", null);
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.json().path("items")).hasSize(1);
        assertThat(own.json().path("items").get(0).path("id").asText()).isEqualTo("itest.apps/mine");
        assertThat(own.body()).as("a run's data is never shown").doesNotContain("\"data\"");
        assertProblem(LinkingIT.developer(http, "POST", app, secret, "jobs/dead/itest.apps/theirs/retry", null), 404, "not-found");
        assertProblem(LinkingIT.developer(http, "GET", theirs.path("id").asText(), secret, "jobs", null), 401, "unauthorized");
        type.behaviour = job -> { };
        assertThat(LinkingIT.developer(http, "POST", app, secret, "jobs/dead/itest.apps/mine/retry", null).status()).isEqualTo(202);
        await("retried", () -> type.runsOf("mine") == 2);
        assertThat(type.runsOf("theirs")).isEqualTo(1);
    }

    @Test
    public void theOperatorsApiNeedsTheOperatorToken() {
        Http http = awaitHealthy();
        assertProblem(http.get("admin/v1/jobs"), 401, "unauthorized");
        assertProblem(admin(http, "GET", "admin/v1/jobs?state=lost", null), 400, "bad-request");
        assertProblem(admin(http, "DELETE", "admin/v1/jobs/itest.none/none", null), 404, "not-found");
    }

    /** Whether the run {@code itest.account/<key>} waits (scheduled, not under way) at the given attempt. */
    private static boolean isWaiting(Http http, String key, int attempt) {
        return items(http, "scheduled", "itest.account").stream().anyMatch(i -> i.path("key").asText().equals(key)
                && i.path("state").asText().equals("scheduled") && i.path("attempt").asInt() == attempt);
    }

    private static List<JsonNode> items(Http http, String state, String type) {
        Http.Answer answer = admin(http, "GET", "admin/v1/jobs?state=" + state + "&type=" + type, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        answer.json().path("items").forEach(out::add);
        return out;
    }
}
