package io.switchboard.core.rest.api;

import io.switchboard.core.api.ProblemException;
import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Problem answers for servlets (the proxy), in the same {@code application/problem+json} shape
 * the JAX-RS endpoints answer with: one writer for every path outside JAX-RS.
 */
@ProviderType
public interface ServletProblems {

    /**
     * Replaces whatever the response holds with the problem: its status, its headers
     * ({@code Retry-After}, ...), the request id and the CORS headers already set are kept.
     * A response already committed is left alone (it can only be broken off).
     */
    void send(HttpServletRequest request, HttpServletResponse response, ProblemException problem) throws IOException;

    /**
     * Logs an error nobody foresaw with the request's id as correlation id, and answers 500
     * {@code internal-error} naming that id (never the error's message), as the JAX-RS endpoints do;
     * a response already committed is left alone.
     */
    void sendUnexpected(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException;

    /**
     * The {@code application/problem+json} body for an error the HTTP server decided on before
     * any servlet ran (a request line it cannot parse, headers over its limit), with the usual
     * type for the status.
     *
     * @param reason the server's short reason (never an exception's message)
     */
    byte[] containerError(int status, String reason, String instance, String requestId);
}
