package io.switchboard.core.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.store.api.Store;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class SealingServiceTest {
    @TempDir
    Path home;

    @Test
    void onH2WithoutAKeyADevelopmentKeyIsKeptAndReused() throws Exception {
        SealingService first = new SealingService(context(), store(Store.Dialect.H2), config(""));
        String sealed = first.seal("secret", "app", "row", "field");
        assertThat(first.check().detail()).isEqualTo("development key dev");
        Path keyFile = home.resolve("data/master.key");
        assertThat(Files.readString(keyFile)).startsWith("dev:");
        assertThat(Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        SealingService second = new SealingService(context(), store(Store.Dialect.H2), config(""));
        assertThat(second.open(sealed, "app", "row", "field")).isEqualTo("secret");
        assertThatThrownBy(() -> second.open(sealed, "app", "other-row", "field")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onPostgresWithoutAKeyTheVaultRefusesAndWithOneItUsesIt() {
        assertThatThrownBy(() -> new SealingService(context(), store(Store.Dialect.POSTGRESQL), config("")))
                .hasMessageContaining("SWITCHBOARD_MASTER_KEY");
        SealingService vault = new SealingService(context(), store(Store.Dialect.POSTGRESQL), config(MasterKeys.generate("prod1")));
        assertThat(vault.check().detail()).isEqualTo("key prod1");
        assertThat(home.resolve("data/master.key")).doesNotExist();
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> m.getName().equals("getProperty") && "switchboard.home".equals(a[0]) ? home.toString() : null);
    }

    private static Store store(Store.Dialect dialect) {
        return (Store) Proxy.newProxyInstance(SealingServiceTest.class.getClassLoader(), new Class<?>[] {Store.class},
                (p, m, a) -> m.getName().equals("dialect") ? dialect : null);
    }

    private static VaultConfig config(String key) {
        return (VaultConfig) Proxy.newProxyInstance(VaultConfig.class.getClassLoader(), new Class<?>[] {VaultConfig.class},
                (p, m, a) -> m.getName().equals("master_key") ? key : m.getDefaultValue());
    }
}
