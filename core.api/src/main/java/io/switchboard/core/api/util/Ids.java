package io.switchboard.core.api.util;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers and secrets without contention. {@link UUID#randomUUID()} and a shared
 * {@link SecureRandom} serialise every caller on one lock, which shows under load; here ids
 * that are not secrets come from {@link ThreadLocalRandom}, and secrets from a
 * {@link SecureRandom} per thread.
 */
public final class Ids {
    /*
     * A DRBG (NIST SP 800-90A Hash_DRBG, seeded from the system's entropy) per thread: each
     * instance locks only itself. The platform default (NativePRNG) shares one lock and one
     * /dev/urandom stream among all its instances, which serialised ECDSA signing under load.
     */
    private static final ThreadLocal<SecureRandom> SECURE = ThreadLocal.withInitial(() -> {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        random.nextBytes(new byte[1]);
        return random;
    });

    private Ids() {}

    /** A random (version 4 layout) UUID for row ids, request ids and the like: unique, not secret. */
    public static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** {@code bytes} of cryptographically strong randomness, base64url without padding: for secrets. */
    public static String secret(int bytes) {
        byte[] b = new byte[bytes];
        SECURE.get().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** This thread's strong random generator (for signers that take one). */
    public static SecureRandom secureRandom() {
        return SECURE.get();
    }
}
