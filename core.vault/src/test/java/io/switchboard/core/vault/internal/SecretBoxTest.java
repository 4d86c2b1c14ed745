package io.switchboard.core.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    static final String CANARY = "canary-refresh-token-7f3a9c";
    final String k1 = MasterKeys.generate("k1");
    final String k2 = MasterKeys.generate("k2");
    final String here = SecretBox.place("app_1", "account-1", "refresh_token");

    @Test
    void sealsAndOpensWithoutTheSecretShowing() {
        SecretBox box = new SecretBox(MasterKeys.parse(k1));
        String sealed = box.encrypt(CANARY, here);
        assertThat(sealed).startsWith("v1.k1.").doesNotContain(CANARY);
        assertThat(new String(Base64.getUrlDecoder().decode(sealed.split("\\.")[2]), StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
        assertThat(box.decryptToString(sealed, here)).isEqualTo(CANARY);
    }

    @Test
    void aCiphertextMovedToAnotherRowOrFieldOrAppDoesNotOpen() {
        SecretBox box = new SecretBox(MasterKeys.parse(k1));
        String sealed = box.encrypt(CANARY, here);
        for (String elsewhere : new String[] {
                SecretBox.place("app_1", "account-2", "refresh_token"),
                SecretBox.place("app_1", "account-1", "access_token"),
                SecretBox.place("app_2", "account-1", "refresh_token")}) {
            assertThatThrownBy(() -> box.decrypt(sealed, elsewhere))
                    .isInstanceOf(SecretBox.SecretUnreadableException.class).hasMessageNotContaining(CANARY);
        }
    }

    @Test
    void tamperingAndGarbageAreRefused() {
        SecretBox box = new SecretBox(MasterKeys.parse(k1));
        String sealed = box.encrypt(CANARY, here);
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThatThrownBy(() -> box.decrypt(tampered, here)).isInstanceOf(SecretBox.SecretUnreadableException.class);
        for (String garbage : new String[] {"", "v1.k1", "v2.k1.abc", "v1.k1.!!!", "v1.k1.AAAA", "plain"}) {
            assertThatThrownBy(() -> box.decrypt(garbage, here)).isInstanceOf(SecretBox.SecretUnreadableException.class);
        }
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        SecretBox box = new SecretBox(MasterKeys.parse(k1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(box.encrypt(CANARY, here))).isTrue();
        }
    }

    @Test
    void rotationTheNewestEncryptsAllDecryptAndRewrapMovesToTheNewest() {
        SecretBox old = new SecretBox(MasterKeys.parse(k1));
        String sealedOld = old.encrypt(CANARY, here);
        SecretBox rotated = new SecretBox(MasterKeys.parse(k2 + "," + k1));
        assertThat(rotated.decryptToString(sealedOld, here)).isEqualTo(CANARY);
        assertThat(rotated.encrypt(CANARY, here)).startsWith("v1.k2.");
        assertThat(rotated.needsRewrap(sealedOld)).isTrue();
        String rewrapped = rotated.rewrap(sealedOld, here);
        assertThat(rewrapped).startsWith("v1.k2.");
        assertThat(rotated.needsRewrap(rewrapped)).isFalse();
        // Once every row is re-wrapped the old key can go.
        SecretBox onlyNew = new SecretBox(MasterKeys.parse(k2));
        assertThat(onlyNew.decryptToString(rewrapped, here)).isEqualTo(CANARY);
        assertThatThrownBy(() -> onlyNew.decrypt(sealedOld, here)).hasMessageContaining("'k1'");
    }

    @Test
    void masterKeySettingsAreCheckedWithoutEchoingKeyMaterial() {
        String bare = k1.substring(3);
        assertThat(MasterKeys.parse(bare).newestId()).isEqualTo("k1");
        assertThat(MasterKeys.parse(k2 + ", " + k1).newestId()).isEqualTo("k2");
        String shortKey = "k3:" + Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKeys.parse(shortKey + "," + k1))
                .hasMessageContaining("k3").hasMessageContaining("16 bytes").hasMessageNotContaining(shortKey.substring(3));
        assertThatThrownBy(() -> MasterKeys.parse(k1 + "," + k1)).hasMessageContaining("twice");
        assertThatThrownBy(() -> MasterKeys.parse("bad id:" + bare)).hasMessageNotContaining(bare);
        assertThatThrownBy(() -> MasterKeys.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
