package io.switchboard.testkit.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for {@code 127.0.0.1} in a PKCS#12 key store, made with the JDK's keytool. */
public final class TestCertificates {
    private TestCertificates() {}

    /** A key store file and its password; the same file serves as the clients' trust store. */
    public record KeyStore(Path path, String password) {}

    /**
     * Writes {@code dir/fake-provider.p12}: an EC key and a certificate valid for 2 days with SAN IP
     * 127.0.0.1. A file from the last day is reused (one per test run); an older one, whose
     * certificate may expire during the run, is replaced.
     */
    public static KeyStore selfSigned(Path dir) {
        Path file = dir.resolve("fake-provider.p12");
        String password = "changeit";
        try {
            if (Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minus(Duration.ofDays(1)))) {
                return new KeyStore(file, password);
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(file); // keytool would add to it
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "provider", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", password, "-keypass", password)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return new KeyStore(file, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
