package io.switchboard.itest.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.switchboard.testkit.db.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The one base class of the in-container tests. It boots exactly the bundles of the exported
 * runtime (plus testkit and the test runner) in a fresh home folder with its shipped defaults, on
 * a free loopback port, against the database the subclass chooses, and gives tests real HTTP.
 */
public abstract class SwitchboardTestSupport {
    /** The Web Console password the in-container runtime is configured with. */
    public static final String CONSOLE_PASSWORD = "itest-console-password";

    @Inject
    protected BundleContext context;

    /** Extra files for {@code etc/} (name to content), e.g. configuration of the bundles under test. */
    protected java.util.Map<String, String> configFiles() {
        return java.util.Map.of();
    }

    /** The database of this test class: H2 by default. */
    protected TestDatabases.Db database() {
        return null;
    }

    @Configuration
    public Option[] config() throws IOException {
        // As the launcher does: times are UTC everywhere.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        RuntimeImage image = RuntimeImage.get();
        Path home = Files.createTempDirectory("switchboard-it-");
        image.copyDefaults(home);
        TestDatabases.Db db = database();
        if (db != null) {
            // PostgreSQL needs a real master key (the development key is for H2 only).
            Files.writeString(home.resolve("etc/switchboard.vault.cfg"), "master.key=" + masterKey("it") + "\n");
            Files.writeString(home.resolve("etc/switchboard.store.cfg"),
                    "url=" + db.url().replace("\\", "\\\\") + "\n"
                            + "user=" + (db.user() == null ? "" : db.user()) + "\n"
                            + "password=" + (db.password() == null ? "" : db.password()) + "\n");
        }
        for (java.util.Map.Entry<String, String> file : configFiles().entrySet()) {
            Path target = home.resolve("etc").resolve(file.getKey());
            if (db != null && file.getKey().equals("switchboard.vault.cfg")) {
                // keep the master key written above for PostgreSQL
                Files.writeString(target, "\n" + file.getValue(), java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.writeString(target, file.getValue());
            }
        }
        int port = freePort();
        List<Option> options = new ArrayList<>();
        image.frameworkProperties().forEach((k, v) -> options.add(frameworkProperty(k).value(v)));
        options.add(frameworkProperty("org.osgi.service.http.port").value(String.valueOf(port)));
        options.add(frameworkProperty("switchboard.home").value(home.toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("etc").toString()));
        options.add(frameworkProperty("felix.webconsole.password").value(consoleHash()));
        options.add(frameworkProperty("org.osgi.framework.system.capabilities.extra").value(image.systemCapabilities()));
        // testkit's fakes use the JDK's HTTP server.
        // (Pax Exam owns org.osgi.framework.system.packages.extra: it shares its own API through it.)
        options.add(systemPackage("com.sun.net.httpserver"));
        image.systemPackages().forEach(p -> options.add(systemPackage(p)));
        options.add(systemProperty("logback.configurationFile").value(home.resolve("etc/logback.xml").toString()));
        // The runtime brings its own logging (SLF4J + Logback); Pax Exam must not add pax-logging.
        options.add(systemProperty("pax.exam.logging").value("none"));
        // Logging and the ServiceLoader mediator (SpiFly) start first, as in the launcher, so that
        // no bundle initialises SLF4J before its provider (Logback) is woven in.
        options.add(frameworkStartLevel(100));
        for (Path bundle : image.bundles()) {
            String name = bundle.getFileName().toString();
            boolean early = name.startsWith("org.apache.aries.spifly") || name.startsWith("slf4j-api")
                    || name.startsWith("logback-");
            options.add(bundle(bundle.toUri().toString()).start(!isFragment(bundle)).startLevel(early ? 1 : 2));
        }
        options.add(bundle(jarOf(io.switchboard.testkit.http.FakeServer.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.oauth.FakeOAuthProvider.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.conformance.SwitchboardClient.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.crm.FakeSalesforce.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.mailbox.FakeGraph.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.gmail.FakeGmail.class)));
        options.add(bundle(jarOf(io.switchboard.testkit.calendar.FakeGraphCalendar.class)));
        // testkit's HTTPS fakes: ALPN on the server side (Felix HTTP's Jetty has the rest), and every
        // outbound client of the runtime trusts their self-signed certificate, as an operator's JVM
        // would trust a private CA (-Djavax.net.ssl.trustStore)
        options.add(bundle(jarOf(org.eclipse.jetty.alpn.java.server.JDK9ServerALPNProcessor.class)));
        io.switchboard.testkit.tls.TestCertificates.KeyStore tls = testCertificates();
        options.add(systemProperty("javax.net.ssl.trustStore").value(tls.path().toString()));
        options.add(systemProperty("javax.net.ssl.trustStorePassword").value(tls.password()));
        options.add(systemProperty("javax.net.ssl.trustStoreType").value("PKCS12"));
        options.add(bundle(jarOf(org.assertj.core.api.Assertions.class)));
        options.add(bundle(jarOf(net.bytebuddy.ByteBuddy.class)));
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    /** The self-signed certificate of testkit's HTTPS fakes (one per test run), trusted by the runtime. */
    protected static io.switchboard.testkit.tls.TestCertificates.KeyStore testCertificates() {
        return io.switchboard.testkit.tls.TestCertificates.selfSigned(Path.of("target", "test-tls").toAbsolutePath());
    }

    /** Real HTTP to the runtime under test. */
    protected Http http() {
        return new Http(URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/"));
    }

    /** Waits until {@code GET /health} answers 200 (the database migrated and everything registered). */
    protected Http awaitHealthy() {
        Http http = http();
        awaitStatus(http, "health", 200, Duration.ofSeconds(60));
        return http;
    }

    protected static void awaitStatus(Http http, String path, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                Http.Answer answer = http.get(path);
                if (answer.status() == status) {
                    return;
                }
                last = answer;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(100);
        }
        throw new AssertionError("GET /" + path + " did not answer " + status + " within " + timeout + "; last: " + last);
    }

    /** Polls {@code condition} until it holds, failing after 30 s with {@code what}. */
    protected static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            sleep(50);
        }
    }

    /**
     * Waits until {@code value} has not changed for {@code quiet} (or {@code timeout} has passed) and
     * returns it: for quantities that grow until something blocks, such as bytes a peer could write.
     */
    protected static long awaitSteady(java.util.function.LongSupplier value, Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(100);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return now;
            }
        }
        return last;
    }

    /** Waits for a service and returns it. */
    protected <T> T service(Class<T> type, String filter) {
        try {
            String f = filter == null
                    ? "(objectClass=" + type.getName() + ")"
                    : "(&(objectClass=" + type.getName() + ")" + filter + ")";
            ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
            tracker.open();
            T service = tracker.waitForService(60_000);
            if (service == null) {
                throw new AssertionError("no service " + f);
            }
            return service;
        } catch (InterruptedException | org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts a new master key ({@code newId}) first in {@code switchboard.vault}, the key in use kept
     * after it, and waits until the server seals with it; the caller then asks for the re-wrap.
     */
    protected void putNewMasterKeyFirst(Http http, String newId) throws Exception {
        org.osgi.service.cm.ConfigurationAdmin ca = service(org.osgi.service.cm.ConfigurationAdmin.class, null);
        org.osgi.service.cm.Configuration config = ca.getConfiguration("switchboard.vault", "?");
        java.util.Dictionary<String, Object> props = config.getProperties();
        Object current = props == null ? null : props.get("master.key");
        // the shipped switchboard.vault.cfg names the environment variable; unset here, it means no key configured
        String old = current == null || current.toString().isBlank() || current.toString().startsWith("$[env:")
                ? Files.readString(Path.of(context.getProperty("switchboard.home"), "data", "master.key")).trim()
                : current.toString();
        java.util.Hashtable<String, Object> updated = new java.util.Hashtable<>();
        if (props != null) {
            for (java.util.Enumeration<String> k = props.keys(); k.hasMoreElements(); ) {
                String key = k.nextElement();
                updated.put(key, props.get(key));
            }
        }
        updated.put("master.key", masterKey(newId) + "," + old);
        config.update(updated);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.get("health").body().contains("key " + newId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("new key " + newId + " not in use after 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** A fresh master key setting ({@code id:base64 of 32 random bytes}). */
    public static String masterKey(String id) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return id + ":" + java.util.Base64.getEncoder().encodeToString(key);
    }

    static String consoleHash() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(CONSOLE_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "{sha-256}" + java.util.Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFragment(Path bundle) {
        try (JarFile jar = new JarFile(bundle.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jarOf(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A port for a runtime's HTTP listener, free now and outside the kernel's ephemeral range
     * (32768-60999 on Linux): Pax Exam computes every test class's configuration when the run
     * starts, so a port is bound minutes after it was chosen, and an ephemeral one could by then be
     * held by a fake (each binds port 0) or another listener (a full run once lost a class to
     * "Address already in use" on such a port).
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(port)); // the wildcard address, as the runtime binds
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    /** A modifiable copy of a configuration's properties (to change a setting and put the old ones back). */
    protected static java.util.Hashtable<String, Object> copyOf(java.util.Dictionary<String, Object> properties) {
        java.util.Hashtable<String, Object> copy = new java.util.Hashtable<>();
        for (java.util.Enumeration<String> k = properties.keys(); k.hasMoreElements(); ) {
            String key = k.nextElement();
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
