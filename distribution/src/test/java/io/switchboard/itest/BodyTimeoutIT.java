package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.RawHttp;
import io.switchboard.itest.support.SwitchboardTestSupport;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** A request body that does not arrive within {@code body.timeout.ms} (4 s here) is answered 408. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BodyTimeoutIT extends SwitchboardTestSupport {

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.rest.cfg", "max.body.bytes=1048576\nbody.timeout.ms=4000\n");
    }

    @Test
    public void aBodyThatDoesNotArriveInTimeIs408AndTheConnectionCloses() throws Exception {
        Http http = awaitHealthy();
        long started = System.nanoTime();
        try (Socket stalled = RawHttp.postJson(http, "/v1/sessions", "slow-sign-in", "{\"token\":\"x\"}", 5)) {
            String answer = RawHttp.readAnswer(stalled);
            assertThat(System.nanoTime() - started).as("not before the timeout").isGreaterThanOrEqualTo(3_900_000_000L);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                    .contains("urn:switchboard:problem:request-timeout").contains("Connection: close")
                    .contains("X-Request-Id: slow-sign-in");
            assertThat(stalled.getInputStream().read()).as("the connection is closed after the 408").isEqualTo(-1);
        }
        // A body that is sent in time, if slowly, is served as before: the sign-in judges the token.
        try (Socket slow = RawHttp.postJson(http, "/v1/sessions", "slow-sign-in", "{\"token\":\"x\"}", 5)) {
            Thread.sleep(500); // well inside the 4 s time-out, even on a loaded machine
            slow.getOutputStream().write("en\":\"x\"}".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertThat(RawHttp.readAnswer(slow)).startsWith("HTTP/1.1 4").doesNotStartWith("HTTP/1.1 408")
                    .contains("application/problem+json");
        }
    }
}
