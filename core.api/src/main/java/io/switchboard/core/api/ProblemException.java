package io.switchboard.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error that leaves the server as an RFC 9457 {@code application/problem+json} body.
 * Throw it from any resource; the core turns it into a response with the given status, a
 * stable {@code type} of {@value #TYPE_PREFIX}{@code <slug>}, the title and the detail.
 *
 * <p>The detail is shown to the caller: never put a token, a password or a stack trace in it.
 */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Every problem type Switchboard emits starts with this prefix. */
    public static final String TYPE_PREFIX = "urn:switchboard:problem:";

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * @param status the HTTP status code (4xx or 5xx)
     * @param slug the stable problem kind, lower-case words with dashes, e.g. {@code not-found}
     * @param title a short summary of the problem kind
     * @param detail what went wrong in this occurrence, safe to show to the caller
     */
    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of());
    }

    /**
     * @param extensions extra members of the problem body (e.g. {@code errors}); values must be
     *     serialisable as JSON and safe to show to the caller
     */
    public ProblemException(int status, String slug, String title, String detail, Map<String, Object> extensions) {
        super(detail);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
        }
        this.status = status;
        this.slug = Objects.requireNonNull(slug, "slug");
        this.title = Objects.requireNonNull(title, "title");
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    public int status() {
        return status;
    }

    /** The stable kind, e.g. {@code not-found}. */
    public String slug() {
        return slug;
    }

    /** The full {@code type} URI: {@value #TYPE_PREFIX} followed by the slug. */
    public String type() {
        return TYPE_PREFIX + slug;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Adds a response header (e.g. {@code WWW-Authenticate}, {@code Retry-After}); returns this. */
    public ProblemException withHeader(String name, String value) {
        headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /** The response headers that go with this problem. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /**
     * The RFC 9457 members of this problem ({@code type, title, status, detail, instance,
     * requestId} and the extensions), ready for a JSON writer: one shape for every error.
     */
    public java.util.Map<String, Object> body(String instance, String requestId) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", type());
        body.put("title", title());
        body.put("status", status());
        if (detail() != null) {
            body.put("detail", detail());
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        extensions().forEach(body::putIfAbsent);
        return body;
    }

    /** 401 with a Bearer challenge, for a missing, invalid or expired credential. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail)
                .withHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not Found", detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad Request", detail);
    }
}
