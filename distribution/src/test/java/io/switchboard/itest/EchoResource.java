package io.switchboard.itest;

import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.slf4j.LoggerFactory;

/**
 * A resource the tests register into the running application, to reach error paths that no
 * production endpoint should have (a JSON body, an unexpected exception).
 */
@Path("itest/echo")
public class EchoResource {
    public static final String SECRET_MESSAGE = "itest-internal-detail-must-not-leak";

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> echo(Map<String, Object> body, @QueryParam("fail") boolean fail,
                                    @QueryParam("unserializable") boolean unserializable) {
        LoggerFactory.getLogger(EchoResource.class).info("echo called");
        if (fail) {
            throw new IllegalStateException(SECRET_MESSAGE);
        }
        if (unserializable) {
            // Serialization fails after a large part of the answer has been written.
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("partial", "p".repeat(200_000));
            answer.put("broken", new Broken());
            return answer;
        }
        return body;
    }

    /** A value whose serialization throws. */
    public static final class Broken {
        public String getValue() {
            throw new IllegalStateException(SECRET_MESSAGE);
        }
    }
}
