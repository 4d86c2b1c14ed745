package io.switchboard.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The entry point of {@code switchboard.jar}. It settles the home folder and the settings that
 * must be known before the OSGi framework starts, then hands over to bnd's launcher, which starts
 * the framework with the resolved bundles embedded in the jar.
 *
 * <ul>
 *   <li>home: {@code SWITCHBOARD_HOME}, else the current directory; {@code etc/}, {@code deploy/}
 *       and {@code data/} are created there, and shipped defaults are copied into {@code etc/}
 *       where a file of that name is missing (an operator's edits are never overwritten);
 *   <li>framework storage under {@code data/framework}, kept across restarts;
 *   <li>HTTP port from {@code SWITCHBOARD_HTTP_PORT} (default 8080);
 *   <li>the Web Console on a listener of its own with {@code SWITCHBOARD_CONSOLE_PORT} (and
 *       {@code SWITCHBOARD_CONSOLE_HOST}, default 127.0.0.1), else on the HTTP port;
 *   <li>the Web Console password: {@code SWITCHBOARD_CONSOLE_PASSWORD}, else one generated at the
 *       first start, printed once, and kept only as a SHA-256 hash under {@code data/}.
 * </ul>
 *
 * This is the one place that reads the environment for start-up settings; everything else is
 * configuration in {@code etc/} (with {@code $[env:...]} placeholders for secrets).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Throwable {
        // Times are stored as UTC TIMESTAMPs; every instance must read and write them in UTC.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        System.setProperty("user.timezone", "UTC");
        Map<String, String> env = System.getenv();
        // Secrets at rest need a real master key on PostgreSQL (the development key is for H2 only).
        String dbUrl = env.get("SWITCHBOARD_DB_URL");
        String masterKey = env.get("SWITCHBOARD_MASTER_KEY");
        if (dbUrl != null && dbUrl.trim().startsWith("jdbc:postgresql:") && (masterKey == null || masterKey.isBlank())) {
            System.err.println("Switchboard will not start: SWITCHBOARD_DB_URL names PostgreSQL but SWITCHBOARD_MASTER_KEY is not set.\n"
                    + "Set it to id:base64 of 32 random bytes, e.g. k1:$(head -c 32 /dev/urandom | base64).");
            System.exit(2);
        }
        Path home = Path.of(firstSet(System.getProperty("switchboard.home"), env.get("SWITCHBOARD_HOME"), "."))
                .toAbsolutePath()
                .normalize();
        Path etc = home.resolve("etc");
        Path data = home.resolve("data");
        Files.createDirectories(etc);
        Path deploy = home.resolve("deploy");
        boolean firstStart = !Files.isDirectory(deploy);
        Files.createDirectories(deploy);
        Files.createDirectories(data);
        ownerOnly(data); // the database files, the development master key and the console hash live here
        Files.createDirectories(data.resolve("db"));
        ownerOnly(data.resolve("db"));
        copyDefaults("defaults/etc/", etc);
        if (firstStart) {
            // The shipped connectors, once: an operator who removes one from deploy/ keeps it removed.
            copyDefaults("defaults/deploy/", deploy);
        }

        setIfAbsent("switchboard.home", home.toString());
        setIfAbsent("launch.storage.dir", data.resolve("framework").toString());
        setIfAbsent("felix.fileinstall.dir", etc.toString());
        setIfAbsent("logback.configurationFile", etc.resolve("logback.xml").toString());
        String port = env.get("SWITCHBOARD_HTTP_PORT");
        if (port != null && !port.isBlank()) {
            setIfAbsent("org.osgi.service.http.port", port.trim());
        }
        String host = env.get("SWITCHBOARD_HTTP_HOST");
        if (host != null && !host.isBlank()) {
            setIfAbsent("org.apache.felix.http.host", host.trim());
        }
        setIfAbsent("felix.webconsole.username", firstSet(env.get("SWITCHBOARD_CONSOLE_USER"), "admin"));
        setIfAbsent("felix.webconsole.password", consolePasswordHash(data, env.get("SWITCHBOARD_CONSOLE_PASSWORD")));
        consoleListener(etc, env.get("SWITCHBOARD_CONSOLE_PORT"), firstSet(env.get("SWITCHBOARD_CONSOLE_HOST"), "127.0.0.1"));

        Class.forName("aQute.launcher.pre.EmbeddedLauncher")
                .getMethod("main", String[].class)
                .invoke(null, (Object) args);
    }

    /** The first line of the console listener's configuration files, which only this launcher writes. */
    static final String CONSOLE_LISTENER_MARK = "# Written by the launcher from SWITCHBOARD_CONSOLE_PORT; switched off when it is unset.";

    /**
     * With {@code SWITCHBOARD_CONSOLE_PORT}, the Web Console is served only by a listener of its
     * own (a second Felix HTTP instance, on {@code SWITCHBOARD_CONSOLE_HOST}, loopback by default)
     * and no longer on the API's port: the console binds to the HTTP runtime marked
     * {@code switchboard.http=console}. Without it, the console stays on the API's port.
     */
    static void consoleListener(Path etc, String port, String host) throws IOException {
        Path listener = etc.resolve("org.apache.felix.http-console.cfg");
        Path console = etc.resolve("org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
        // A configuration replaces all of the console's defaults from framework properties: it carries the credentials too.
        String credentials = "manager.root=" + System.getProperty("felix.webconsole.manager.root", "/system/console") + "\n"
                + "username=" + System.getProperty("felix.webconsole.username") + "\n"
                + "password=" + System.getProperty("felix.webconsole.password") + "\n";
        if (port == null || port.isBlank()) {
            // Configuration Admin keeps what a removed file held: the files stay, switched off.
            if (Files.isRegularFile(listener)) {
                writeUnlessOperators(listener, "org.apache.felix.http.enable=false\norg.apache.felix.http.name=console\n");
                writeUnlessOperators(console, credentials);
            }
            return;
        }
        int number = Integer.parseInt(port.trim());
        writeUnlessOperators(listener, "org.osgi.service.http.port=" + number + "\n"
                + "org.apache.felix.http.host=" + host.trim() + "\n"
                + "org.apache.felix.http.name=console\n"
                + "org.apache.felix.http.jetty.sendServerHeader=false\n"
                + "org.apache.felix.http.runtime.init.switchboard.http=console\n");
        writeUnlessOperators(console, "http.service.filter=(switchboard.http=console)\n" + credentials);
    }

    private static void writeUnlessOperators(Path file, String content) throws IOException {
        if (!Files.exists(file) || Files.readString(file, StandardCharsets.UTF_8).startsWith(CONSOLE_LISTENER_MARK)) {
            Files.writeString(file, CONSOLE_LISTENER_MARK + "\n" + content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows and other file systems keep their own ACLs
            }
        }
    }

    /** rwx------ on a POSIX file system (best effort elsewhere): other users of the machine see nothing inside. */
    static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other file systems keep their own ACLs
        }
    }

    /** The Web Console never runs with a known default password. */
    static String consolePasswordHash(Path data, String fromEnv) throws IOException {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return hash(fromEnv);
        }
        Path stored = data.resolve("console-password.sha256");
        if (Files.isRegularFile(stored)) {
            return Files.readString(stored, StandardCharsets.UTF_8).trim();
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String hashed = hash(password);
        Files.writeString(stored, hashed + "\n", StandardCharsets.UTF_8);
        System.out.println("""

                ================================================================
                 Web Console: /system/console  user: %s
                 generated password (shown once, only its hash is kept):
                   %s
                 Set SWITCHBOARD_CONSOLE_PASSWORD to choose your own.
                ================================================================
                """.formatted(System.getProperty("felix.webconsole.username", "admin"), password));
        return hashed;
    }

    /** The Felix Web Console's hashed password format: {@code {sha-256}} + Base64 of the digest. */
    static String hash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyDefaults(String prefix, Path etc) throws IOException, URISyntaxException {
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            return;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix)) {
                    continue;
                }
                Path target = etc.resolve(name.substring(prefix.length())).normalize();
                if (!target.startsWith(etc) || Files.exists(target)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
