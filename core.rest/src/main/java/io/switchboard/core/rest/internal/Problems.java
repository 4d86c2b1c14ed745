package io.switchboard.core.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;

/** Builds RFC 9457 problem responses. One place, so every error has the same shape. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    static Response response(ProblemException problem, String instance, String requestId) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(MEDIA_TYPE)
                .entity(body(problem, instance, requestId));
        problem.headers().forEach(builder::header);
        return builder.build();
    }

    /** The JSON text of a problem; also used outside JAX-RS (servlet filter). */
    static String body(ProblemException problem, String instance, String requestId) {
        Map<String, Object> body = problem.body(instance, requestId);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // Only extension values can fail; fall back to the fixed members.
            return "{\"type\":\"" + problem.type() + "\",\"status\":" + problem.status() + "}";
        }
    }

    /** Writes a problem answer with its status (outside JAX-RS: the request filter, servlets). */
    static void write(HttpServletResponse response, ProblemException problem, String instance, String requestId) throws IOException {
        byte[] body = body(problem, instance, requestId).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The answer to an error nobody foresaw: no message of it, only the correlation id its log line carries. */
    static ProblemException unexpected(String correlationId) {
        return new ProblemException(500, "internal-error", "Internal Server Error",
                "an unexpected error occurred; quote correlation id " + correlationId + " when reporting it",
                Map.of("correlationId", String.valueOf(correlationId)));
    }

    /** The problem for an HTTP status that the framework (not our code) decided on. */
    static ProblemException forStatus(int status, String detail) {
        return switch (status) {
            case 400 -> new ProblemException(400, "bad-request", "Bad Request", detail);
            case 401 -> new ProblemException(401, "unauthorized", "Unauthorized", detail);
            case 403 -> new ProblemException(403, "forbidden", "Forbidden", detail);
            case 404 -> new ProblemException(404, "not-found", "Not Found", detail);
            case 405 -> new ProblemException(405, "method-not-allowed", "Method Not Allowed", detail);
            case 406 -> new ProblemException(406, "not-acceptable", "Not Acceptable", detail);
            case 409 -> new ProblemException(409, "conflict", "Conflict", detail);
            case 412 -> new ProblemException(412, "precondition-failed", "Precondition Failed", detail);
            case 413 -> new ProblemException(413, "payload-too-large", "Payload Too Large", detail);
            case 414 -> new ProblemException(414, "uri-too-long", "URI Too Long", detail);
            case 415 -> new ProblemException(415, "unsupported-media-type", "Unsupported Media Type", detail);
            case 431 -> new ProblemException(431, "header-fields-too-large", "Request Header Fields Too Large", detail);
            case 429 -> new ProblemException(429, "rate-limited", "Too Many Requests", detail);
            case 503 -> new ProblemException(503, "unavailable", "Service Unavailable", detail);
            default -> status >= 500
                    ? new ProblemException(status, "internal-error", "Internal Server Error", detail)
                    : new ProblemException(status >= 400 ? status : 400, "bad-request", "Bad Request", detail);
        };
    }
}
