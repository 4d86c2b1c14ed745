package io.switchboard.core.outbound.api;

/** A token endpoint refused the grant with an OAuth error ({@code invalid_grant}, {@code invalid_client}, ...). */
public final class GrantRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String error;
    private final int status;
    private final boolean reauth;

    /** A refusal that is final only for {@code invalid_grant}. */
    public GrantRefusedException(String error, int status) {
        this(error, status, "invalid_grant".equals(error));
    }

    /** @param reauth whether the grant is dead (the connector's {@code grantDead}) */
    public GrantRefusedException(String error, int status, boolean reauth) {
        super("token endpoint answered " + status + " " + error, null, false, false);
        this.error = error;
        this.status = status;
        this.reauth = reauth;
    }

    /** The OAuth error code, or {@code http_<status>} when the answer named none. */
    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** Whether the user must link again: the grant itself is dead, as the connector reads the refusal. */
    public boolean reauth() {
        return reauth;
    }
}
