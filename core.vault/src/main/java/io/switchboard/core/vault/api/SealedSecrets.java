package io.switchboard.core.vault.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Seals secrets (tokens, client secrets) for storage and opens them again. A sealed secret only
 * opens at the place it was sealed for (app, row, field): copied to another row it is unreadable.
 * Sealed values name the key that sealed them, so master keys can be rotated and rows re-wrapped
 * while the server runs.
 */
@ProviderType
public interface SealedSecrets {

    String seal(String plaintext, String appId, String rowId, String field);

    /** @throws IllegalStateException when the value does not open here (moved, altered, unknown key) */
    String open(String sealed, String appId, String rowId, String field);

    /** Whether the value was sealed with an older key than the one that seals now. */
    boolean needsRewrap(String sealed);

    /** The same secret sealed with the newest key. */
    String rewrap(String sealed, String appId, String rowId, String field);
}
