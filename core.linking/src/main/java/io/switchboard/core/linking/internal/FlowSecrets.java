package io.switchboard.core.linking.internal;

import io.switchboard.core.api.util.Digests;
import io.switchboard.core.api.util.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Random values for tickets, state, PKCE verifiers and browser bindings (stored as {@link Digests#sha256Hex} hashes). */
final class FlowSecrets {
    private FlowSecrets() {}

    /** 256 random bits, base64url: 43 characters, also a valid PKCE verifier (RFC 7636 §4.1). */
    static String random() {
        byte[] bytes = new byte[32];
        Ids.secureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The PKCE S256 challenge of a verifier. */
    static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Digests.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
