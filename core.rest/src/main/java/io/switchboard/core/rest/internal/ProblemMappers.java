package io.switchboard.core.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception into {@code application/problem+json}: our own problems as they are,
 * the framework's (404, 405, 406, 415, 400) by status, malformed JSON as 400, bodies over the
 * limit as 413, and anything unexpected as 500 with the request id as correlation id. Never a
 * stack trace and never an exception message of an unexpected error.
 */
final class ProblemMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);

    private ProblemMappers() {}

    static Response toResponse(ProblemException problem, UriInfo uri) {
        return Problems.response(problem, uri == null ? null : "/" + uri.getPath(false), RequestContext.current());
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    public static class OwnProblems implements ExceptionMapper<ProblemException> {
        @Context UriInfo uri;

        @Override
        public Response toResponse(ProblemException e) {
            return ProblemMappers.toResponse(e, uri);
        }
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    public static class FrameworkProblems implements ExceptionMapper<WebApplicationException> {
        @Context UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original == null ? 500 : original.getStatus();
            if (status >= 500) {
                return Unexpected.log(e, uri);
            }
            String detail = switch (status) {
                case 404 -> "no resource at this path";
                case 405 -> "this resource does not support the method";
                case 406 -> "this resource cannot produce an acceptable media type";
                case 415 -> "this resource does not accept the request's media type";
                default -> bodyProblem(e);
            };
            Response mapped = ProblemMappers.toResponse(Problems.forStatus(status, detail), uri);
            if (original != null && original.getHeaderString(HttpHeaders.ALLOW) != null) {
                return Response.fromResponse(mapped).header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW)).build();
            }
            return mapped;
        }

        private static String bodyProblem(WebApplicationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException) {
                return "the body is not valid JSON for this resource";
            }
            return "the request is not valid";
        }
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    public static class MalformedJson implements ExceptionMapper<JsonProcessingException> {
        @Context UriInfo uri;

        @Override
        public Response toResponse(JsonProcessingException e) {
            // Jackson's location (line/column) helps the caller; its message could echo input, so it is left out.
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return ProblemMappers.toResponse(
                    new ProblemException(400, "malformed-json", "Malformed JSON", "the body is not valid JSON for this resource" + where),
                    uri);
        }
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Context UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            if (e instanceof CompleteJsonBodies.NotWritten) {
                return log(e, uri); // our answer failed to serialise: not the caller's JSON
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof io.switchboard.core.rest.api.BodyTooLargeException tooLarge) {
                    return ProblemMappers.toResponse(tooLarge.problem(), uri);
                }
                if (t instanceof ProblemException p) {
                    return ProblemMappers.toResponse(p, uri);
                }
                if (t instanceof JsonProcessingException) {
                    return ProblemMappers.toResponse(Problems.forStatus(400, "the body is not valid JSON for this resource"), uri);
                }
            }
            return log(e, uri);
        }

        static Response log(Throwable e, UriInfo uri) {
            String id = RequestContext.current();
            LOG.error("Unexpected error (correlation id {})", id, e);
            return ProblemMappers.toResponse(Problems.unexpected(id), uri);
        }
    }
}
