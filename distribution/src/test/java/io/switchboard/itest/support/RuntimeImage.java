package io.switchboard.itest.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The exported runtime, {@code distribution/target/switchboard.jar}, taken apart for tests: its
 * bundles (exactly the set that ships), its framework properties and its default {@code etc/}.
 * In-container tests boot from this, so they test what ships.
 */
public final class RuntimeImage {
    private static RuntimeImage instance;

    private final Path jar;
    private final List<Path> bundles;
    private final Map<String, String> properties;
    private final Path defaultsDir;

    private RuntimeImage(Path jar, List<Path> bundles, Map<String, String> properties, Path defaultsDir) {
        this.jar = jar;
        this.bundles = bundles;
        this.properties = properties;
        this.defaultsDir = defaultsDir;
    }

    /** The runtime jar named by the {@code switchboard.jar} system property (set by failsafe). */
    public static synchronized RuntimeImage get() {
        if (instance == null) {
            String path = System.getProperty("switchboard.jar", "target/switchboard.jar");
            instance = load(Path.of(path).toAbsolutePath());
        }
        return instance;
    }

    public Path jar() {
        return jar;
    }

    /** The bundle files, in the order the launcher installs them. */
    public List<Path> bundles() {
        return bundles;
    }

    /** The framework properties of the bndrun ({@code launch.*} settings excluded). */
    public Map<String, String> frameworkProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("launch.")) {
                result.put(k, v);
            }
        });
        return result;
    }

    /** The JDK packages beyond Java SE the launcher exports from the system bundle (-runsystempackages). */
    public List<String> systemPackages() {
        String value = properties.getOrDefault("launch.system.packages", "");
        return value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
    }

    /** The extra system capabilities the launcher declares (e.g. the JavaJPA contract). */
    public String systemCapabilities() {
        return properties.getOrDefault("launch.system.capabilities", "");
    }

    /** Copies the shipped {@code etc/} defaults into {@code home/etc} and the shipped connectors into {@code home/deploy}, as a first start does. */
    public void copyDefaults(Path home) {
        try {
            Path etc = Files.createDirectories(home.resolve("etc"));
            Path deploy = Files.createDirectories(home.resolve("deploy"));
            Files.createDirectories(home.resolve("data"));
            try (var files = Files.list(defaultsDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, etc.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path shipped = defaultsDir.resolveSibling("deploy");
            if (Files.isDirectory(shipped)) {
                try (var files = Files.list(shipped)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, deploy.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RuntimeImage load(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no runtime at " + jar + ": run mvn package first");
        }
        try {
            Path dir = Files.createTempDirectory("switchboard-image-");
            Path defaults = Files.createDirectories(dir.resolve("defaults"));
            Properties props = new Properties();
            List<Path> bundles = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                try (InputStream in = file.getInputStream(file.getEntry("launcher.properties"))) {
                    props.load(in);
                }
                for (String name : props.getProperty("launch.bundles").split(",")) {
                    Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
                    try (InputStream in = file.getInputStream(file.getEntry(name.trim()))) {
                        Files.copy(in, target);
                    }
                    bundles.add(target);
                }
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (!e.isDirectory() && e.getName().startsWith("defaults/etc/")) {
                        try (InputStream in = file.getInputStream(e)) {
                            Files.copy(in, defaults.resolve(e.getName().substring("defaults/etc/".length())));
                        }
                    }
                    if (!e.isDirectory() && e.getName().startsWith("defaults/deploy/")) {
                        Path deploy = Files.createDirectories(dir.resolve("deploy"));
                        try (InputStream in = file.getInputStream(e)) {
                            Files.copy(in, deploy.resolve(e.getName().substring("defaults/deploy/".length())));
                        }
                    }
                }
            }
            Map<String, String> map = new LinkedHashMap<>();
            props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
            return new RuntimeImage(jar, List.copyOf(bundles), map, defaults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
