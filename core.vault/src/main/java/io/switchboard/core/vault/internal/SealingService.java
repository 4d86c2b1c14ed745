package io.switchboard.core.vault.internal;

import io.switchboard.core.api.HealthCheck;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.SealedSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealing secrets at rest with the master keys (docs/security.md S12). Master keys come from configuration ({@code SWITCHBOARD_MASTER_KEY}),
 * never from the database. On the embedded H2 default without a key, a development key is
 * generated under {@code data/} and a warning is logged at every start; on PostgreSQL without a
 * key the vault does not start (and the launcher refuses to start the server at all).
 */
@Designate(ocd = VaultConfig.class)
@Component(service = {SealedSecrets.class, HealthCheck.class}, configurationPid = VaultConfig.PID)
public class SealingService implements SealedSecrets, HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SealingService.class);

    /** The keys in use; replaced as a whole when the configuration changes (key rotation without a restart). */
    private record Keys(SecretBox box, MasterKeys keys, boolean development) {}

    private final BundleContext context;
    private final Store store;
    private volatile Keys current;

    @Activate
    public SealingService(BundleContext context, @Reference Store store, VaultConfig config) {
        this.context = context;
        this.store = store;
        this.current = load(config);
    }

    /** A new key list applies at once; services using the vault stay up, so requests keep succeeding during a rotation. */
    @Modified
    void modified(VaultConfig config) {
        this.current = load(config);
        LOG.info("master keys reloaded; newest key {}", current.keys().newestId());
    }

    private Keys load(VaultConfig config) {
        String configured = config.master_key();
        MasterKeys keys;
        boolean development;
        if (configured != null && !configured.isBlank()) {
            keys = MasterKeys.parse(configured);
            development = false;
        } else if (store.dialect() == Store.Dialect.H2) {
            keys = MasterKeys.parse(developmentKey(context));
            development = true;
            LOG.warn("NO MASTER KEY CONFIGURED: secrets are encrypted with a development key kept in data/master.key. "
                    + "Set SWITCHBOARD_MASTER_KEY (id:base64 of 32 bytes) for anything but development.");
        } else {
            throw new IllegalStateException("no master key: set SWITCHBOARD_MASTER_KEY to run on PostgreSQL");
        }
        return new Keys(new SecretBox(keys), keys, development);
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public Status check() {
        Keys k = current;
        return Status.up((k.development() ? "development key " : "key ") + k.keys().newestId());
    }

    @Override
    public String seal(String plaintext, String appId, String rowId, String field) {
        return current.box().encrypt(plaintext, SecretBox.place(appId, rowId, field));
    }

    @Override
    public String open(String sealed, String appId, String rowId, String field) {
        try {
            return current.box().decryptToString(sealed, SecretBox.place(appId, rowId, field));
        } catch (SecretBox.SecretUnreadableException e) {
            throw new IllegalStateException("a stored secret cannot be opened: " + e.getMessage());
        }
    }

    @Override
    public boolean needsRewrap(String sealed) {
        return current.box().needsRewrap(sealed);
    }

    @Override
    public String rewrap(String sealed, String appId, String rowId, String field) {
        return current.box().rewrap(sealed, SecretBox.place(appId, rowId, field));
    }

    private static String developmentKey(BundleContext context) {
        String home = context.getProperty("switchboard.home");
        Path file = Path.of(home == null || home.isBlank() ? "." : home).resolve("data").resolve("master.key");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("master.key.new");
            Files.writeString(partial, MasterKeys.generate("dev") + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on other file systems
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the development master key in " + file, e);
        }
    }
}
