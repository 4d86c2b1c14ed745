package io.switchboard.core.rest.api;

import io.switchboard.core.api.ProblemException;
import java.io.IOException;

/**
 * Thrown by a request's body stream when the body outgrows its path's limit while it is read (a
 * chunked body, or one longer than it declared). The edge enforces every limit: a declared length
 * over it is answered 413 before the owner of the path runs; a servlet that streams its body
 * itself (the proxy) meets this exception instead and answers 413 {@code payload-too-large}.
 */
public class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public BodyTooLargeException(long limit) {
        super("request bodies here are limited to " + limit + " bytes");
        this.limit = limit;
    }

    /** The one answer to a body over its limit, wherever it was found: 413 {@code payload-too-large}. */
    public static ProblemException problem(long limit) {
        return new ProblemException(413, "payload-too-large", "Payload Too Large", "request bodies here are limited to " + limit + " bytes");
    }

    /** {@link #problem(long)} for this body's limit. */
    public ProblemException problem() {
        return problem(limit);
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }
}
