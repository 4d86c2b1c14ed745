package io.switchboard.core.api.jobs;

/**
 * Thrown by a run when its account cannot be used until its user acts (the grant is dead:
 * {@code REAUTH_REQUIRED}): the run and every other run of the account wait, without using up
 * attempts, until {@link Jobs#release} is called for the account (when it is linked again).
 */
public class AccountUnusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AccountUnusable(String message) {
        super(message, null, false, false);
    }
}
