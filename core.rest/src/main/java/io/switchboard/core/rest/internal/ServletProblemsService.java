package io.switchboard.core.rest.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.ServletProblems;
import java.io.IOException;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/** Problem answers for servlets, written by {@link Problems} like every other answer of the edge. */
@Component(service = ServletProblems.class)
public class ServletProblemsService implements ServletProblems {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServletProblemsService.class);
    /** Set by the edge before the servlet ran; they survive the reset. */
    private static final List<String> KEPT = List.of(Switchboard.REQUEST_ID_HEADER, "Access-Control-Allow-Origin",
            "Access-Control-Expose-Headers", "Vary");

    @Override
    public void send(HttpServletRequest request, HttpServletResponse response, ProblemException problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        String[] kept = new String[KEPT.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = response.getHeader(KEPT.get(i));
        }
        response.reset();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != null) {
                response.setHeader(KEPT.get(i), kept[i]);
            }
        }
        problem.headers().forEach(response::setHeader);
        Problems.write(response, problem, request.getRequestURI(), kept[0]);
    }

    @Override
    public void sendUnexpected(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException {
        String requestId = response.getHeader(Switchboard.REQUEST_ID_HEADER);
        LOG.error("Unexpected error (correlation id {})", requestId, failure);
        send(request, response, Problems.unexpected(requestId));
    }

    @Override
    public byte[] containerError(int status, String reason, String instance, String requestId) {
        return Problems.body(Problems.forStatus(status, reason), instance, requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
