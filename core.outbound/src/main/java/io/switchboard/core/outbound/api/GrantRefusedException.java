package io.switchboard.core.outbound.api;

/** A token endpoint refused the grant with an OAuth error ({@code invalid_grant}, {@code invalid_client}, ...). */
public final class GrantRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String error;
    private final int status;

    public GrantRefusedException(String error, int status) {
        super("token endpoint answered " + status + " " + error, null, false, false);
        this.error = error;
        this.status = status;
    }

    /** The OAuth error code, or {@code http_<status>} when the answer named none. */
    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** Whether the user must link again: the grant itself is dead. */
    public boolean reauth() {
        return "invalid_grant".equals(error);
    }
}
