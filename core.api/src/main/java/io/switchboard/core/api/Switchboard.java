package io.switchboard.core.api;

/**
 * Names shared by the core bundles.
 */
public final class Switchboard {
    private Switchboard() {}

    /**
     * The name of the one JAX-RS application that serves the public API. Core resources join it
     * with {@code @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)}. It replaces the
     * whiteboard's default application (the JAX-RS Whiteboard specification lets an application
     * named {@code .default} do that), so the whiteboard's JSON extension, which binds to the
     * default application, serves it. Connectors never register JAX-RS resources: every resource
     * change rebuilds the application.
     */
    public static final String JAXRS_APPLICATION = ".default";

    /** The filter that selects {@link #JAXRS_APPLICATION}. */
    public static final String JAXRS_APPLICATION_SELECT = "(osgi.jaxrs.name=" + JAXRS_APPLICATION + ")";

    /** The header that carries a request id, taken from the caller if sane, echoed in every response. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /**
     * The request attribute the API (a pre-matching filter of the application) and the proxy set
     * when they take a request: a request without it was answered by no part of Switchboard (the
     * application was being rebuilt), and the edge turns that answer into a problem.
     */
    public static final String HANDLED_ATTRIBUTE = "io.switchboard.handled";

    /** The SLF4J MDC key that holds the current request id in log lines. */
    public static final String REQUEST_ID_MDC = "requestId";
}
