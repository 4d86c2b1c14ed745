package io.switchboard.core.mailbox.api;

/**
 * The provider no longer knows a stream's cursor (Graph {@code 410 Gone} or
 * {@code syncStateNotFound}, Gmail 404 on an old history id, Calendar 410): the stream is read
 * again in a full pass, which neither loses nor doubles a message.
 *
 * @since 1.1.0
 */
public class SyncReset extends Exception {
    private static final long serialVersionUID = 1L;

    public SyncReset(String message) {
        super(message, null, false, false);
    }
}
