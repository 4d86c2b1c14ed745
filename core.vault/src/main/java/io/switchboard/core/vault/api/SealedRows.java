package io.switchboard.core.vault.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A table holding secrets sealed with {@link SealedSecrets}, registered as a service by the
 * bundle that owns it. After a new master key is put first, {@code POST /admin/v1/vault/rewrap}
 * asks every registered one to re-seal its rows under the newest key.
 */
@ConsumerType
public interface SealedRows {

    /** The name the re-wrap answer reports the count under ({@code accounts}, {@code clientSecrets}, ...). */
    String name();

    /** Re-seals every value sealed with an older key, one row per transaction; returns how many rows changed. */
    int rewrap();
}
