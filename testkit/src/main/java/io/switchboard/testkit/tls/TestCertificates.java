package io.switchboard.testkit.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for {@code 127.0.0.1} in a PKCS#12 key store, made with the JDK's keytool. */
public final class TestCertificates {
    private TestCertificates() {}

    /** A key store file and its password; the same file serves as the clients' trust store. */
    public record KeyStore(Path path, String password) {}

    /** Writes (or reuses) {@code dir/fake-provider.p12}: an EC key and a certificate valid for 2 days with SAN IP 127.0.0.1. */
    public static KeyStore selfSigned(Path dir) {
        Path file = dir.resolve("fake-provider.p12");
        String password = "changeit";
        if (Files.isRegularFile(file)) {
            return new KeyStore(file, password);
        }
        try {
            Files.createDirectories(dir);
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
