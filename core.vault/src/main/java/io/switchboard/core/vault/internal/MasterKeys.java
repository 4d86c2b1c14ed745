package io.switchboard.core.vault.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that encrypt secrets at rest, from {@code SWITCHBOARD_MASTER_KEY}:
 * <pre>  k2:BASE64_OF_32_BYTES,k1:BASE64_OF_32_BYTES</pre>
 * a comma-separated list of {@code id:key} entries, newest first. The first key encrypts; every
 * listed key decrypts, so a key is rotated by putting a new one in front, re-wrapping, and then
 * removing the old one. A single bare base64 key is accepted and gets the id {@code k1}.
 */
final class MasterKeys {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final String newest;
    private final Map<String, SecretKey> keys;

    private MasterKeys(String newest, Map<String, SecretKey> keys) {
        this.newest = newest;
        this.keys = Collections.unmodifiableMap(keys);
    }

    static MasterKeys parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no master key configured");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String[] entries = value.trim().split("\\s*,\\s*");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            int colon = entry.indexOf(':');
            String id = colon < 0 && entries.length == 1 ? "k1" : colon < 0 ? null : entry.substring(0, colon);
            String material = colon < 0 ? entry : entry.substring(colon + 1);
            if (id == null || !ID.matcher(id).matches()) {
                errors.add("entry " + (i + 1) + ": expected id:base64 with an id of letters, digits, '_' or '-'");
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(material);
            } catch (IllegalArgumentException e) {
                errors.add("key " + id + ": not base64");
                continue;
            }
            if (bytes.length != 32) {
                errors.add("key " + id + ": " + bytes.length + " bytes, AES-256 needs 32");
                continue;
            }
            if (keys.put(id, new SecretKeySpec(bytes, "AES")) != null) {
                errors.add("key " + id + ": listed twice");
            }
        }
        if (!errors.isEmpty()) {
            // Never echo key material: only positions, ids and lengths.
            throw new IllegalArgumentException("invalid master key setting: " + String.join("; ", errors));
        }
        return new MasterKeys(keys.keySet().iterator().next(), keys);
    }

    /** The id of the key that encrypts. */
    String newestId() {
        return newest;
    }

    SecretKey newest() {
        return keys.get(newest);
    }

    /** The key with this id, or {@code null}. */
    SecretKey get(String id) {
        return keys.get(id);
    }

    /** A new random key entry, for a development default: {@code id:base64}. */
    static String generate(String id) {
        return id + ":" + Base64.getEncoder().encodeToString(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        io.switchboard.core.api.util.Ids.secureRandom().nextBytes(key);
        return key;
    }
}
