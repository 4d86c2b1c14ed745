package io.switchboard.core.vault.internal;

import io.switchboard.core.api.util.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts secrets at rest (docs/security.md S12): AES-256-GCM, a random 96-bit nonce per encryption, the key id
 * stored with each ciphertext, and associated data that names where the secret lives (app,
 * account, field), so a ciphertext copied to another row or column does not decrypt.
 *
 * <p>Format: {@code v1.<key id>.<base64url(nonce || ciphertext || tag)>}.
 */
final class SecretBox {
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeys keys;

    SecretBox(MasterKeys keys) {
        this.keys = keys;
    }

    /** The associated data for a secret: where it is stored. */
    static String place(String appId, String rowId, String field) {
        return appId + "|" + rowId + "|" + field;
    }

    String encrypt(String plaintext, String place) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), place);
    }

    String encrypt(byte[] plaintext, String place) {
        byte[] nonce = new byte[NONCE_BYTES];
        Ids.secureRandom().nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.newest(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return VERSION + "." + keys.newestId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    String decryptToString(String envelope, String place) {
        return new String(decrypt(envelope, place), StandardCharsets.UTF_8);
    }

    /**
     * @throws SecretUnreadableException when the envelope is malformed, its key is not configured,
     *     or it was not sealed for this place (moved, tampered with)
     */
    byte[] decrypt(String envelope, String place) {
        String[] parts = envelope == null ? new String[0] : envelope.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretUnreadableException("not a sealed secret");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretUnreadableException("sealed with key '" + parts[1] + "', which is not configured");
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadableException("not a sealed secret");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretUnreadableException("not a sealed secret");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretUnreadableException("does not belong here or was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Whether the envelope is sealed with an older key than the newest. */
    boolean needsRewrap(String envelope) {
        String[] parts = envelope.split("\\.", 3);
        return parts.length == 3 && !keys.newestId().equals(parts[1]);
    }

    /** The same secret sealed with the newest key (for online key rotation). */
    String rewrap(String envelope, String place) {
        return needsRewrap(envelope) ? encrypt(decrypt(envelope, place), place) : envelope;
    }

    /** A secret that cannot be opened here; the message never contains secret material. */
    static final class SecretUnreadableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SecretUnreadableException(String message) {
            super(message, null, false, false);
        }
    }
}
