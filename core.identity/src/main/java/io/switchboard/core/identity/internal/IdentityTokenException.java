package io.switchboard.core.identity.internal;

/** An identity token that is not accepted; the message is safe to show (no token content). */
final class IdentityTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdentityTokenException(String message) {
        super(message, null, false, false);
    }
}
