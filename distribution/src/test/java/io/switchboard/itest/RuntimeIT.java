package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.LogCapture;
import io.switchboard.itest.support.RawHttp;
import io.switchboard.itest.support.SwitchboardTestSupport;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceMethodInfoDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

/** The shipped runtime on the embedded H2 default: health, problem+json errors, request ids, OpenAPI, JPA. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT extends SwitchboardTestSupport {

    @Override
    protected java.util.Map<String, String> configFiles() {
        // The slow-sender test opens 150 bodies from one address and then calls from the same one: this
        // class is about threads, not the per-client count of unfinished bodies (ExecutableJarIT covers that).
        return java.util.Map.of("switchboard.rest.cfg", "max.unfinished.bodies.per.client=1000\n");
    }


    @Test
    public void healthIsUpWithTheDatabaseMigrated() {
        Http http = awaitHealthy();
        Http.Answer health = http.get("health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("application/json");
        JsonNode body = health.json();
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").path("database").path("detail").asText()).startsWith("h2, schema version");
        assertThat(body.path("checks").path("vault").path("status").asText()).isEqualTo("UP");
    }

    @Test
    public void unknownPathAndWrongMethodAnswerProblemJson() {
        Http http = awaitHealthy();
        Http.Answer missing = http.get("no/such/thing");
        assertProblem(missing, 404, "not-found");
        assertThat(missing.json().path("instance").asText()).isEqualTo("/no/such/thing");

        Http.Answer wrongMethod = http.send(http.request("health").DELETE().build());
        assertProblem(wrongMethod, 405, "method-not-allowed");
        assertThat(wrongMethod.header("Allow")).contains("GET");
    }

    /**
     * Issue 17 item 5: while the whiteboard rebuilds the application (a core bundle with resources
     * restarting, as a hot deploy or a refresh does), CXF answered "No service was found." in HTML;
     * every answer is problem+json, a 503 with Retry-After in the window.
     */
    @Test
    public void noHtmlWhileTheApplicationIsRebuilt() throws Exception {
        Http http = awaitHealthy();
        org.osgi.framework.Bundle config = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "io.switchboard.core.config".equals(b.getSymbolicName())).findFirst().orElseThrow();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                Http.Answer a = http.get("v1/me");
                seen.add(a.status() + " " + a.header("Content-Type") + " " + a.header("Retry-After"));
            }
        });
        poller.start();
        try {
            for (int i = 0; i < 3; i++) {
                config.stop();
                sleep(300);
                config.start();
                sleep(300);
            }
        } finally {
            polling.set(false);
            poller.join(10_000);
        }
        awaitHealthy();
        assertThat(seen).isNotEmpty().allSatisfy(line -> assertThat(line).matches("(401 application/problem\\+json null"
                + "|503 application/problem\\+json 1)"));
    }

    /** Issue 18 item 15: what Jetty refuses before any servlet runs was an HTML page without a request id. */
    @Test
    public void protocolErrorsAnswerProblemJsonWithARequestId() throws Exception {
        Http http = awaitHealthy();
        for (String request : new String[] {
                "GARBAGE\r\n\r\n", // no method, path or version
                "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", // a header line without a colon
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", // 431
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"}) { // 414
            String answer = RawHttp.exchange(http, request);
            assertThat(answer).as(answer).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            assertThat(answer).as(answer).containsIgnoringCase("Content-Type: application/problem+json")
                    .containsPattern("(?i)X-Request-Id: [0-9a-f-]{36}").doesNotContain("<html").contains("\"status\":4");
        }
        assertThat(http.get("health").status()).isEqualTo(200);
    }

    @Test
    public void bodyErrorsAnswerProblemJson() {
        Http http = withEchoResource();
        Http.Answer ok = http.send(json(http, "itest/echo", "{\"a\":1}"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("a").asInt()).isEqualTo(1);

        assertProblem(http.send(json(http, "itest/echo", "{\"a\":")), 400, "malformed-json");
        assertProblem(http.send(http.request("itest/echo").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build()), 415, "unsupported-media-type");
        // A charset the server cannot decode is the caller's mistake (415), not an outage (it was a 503); so is an illegal name.
        assertProblem(http.send(http.request("itest/echo").header("Content-Type", "application/json; charset=bogus")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build()), 415, "unsupported-media-type");
        assertProblem(http.send(http.request("v1/sessions").header("Content-Type", "application/json; charset=\"ut f/8\"")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 415, "unsupported-media-type");
        Http.Answer latin1 = http.send(http.request("itest/echo").header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":2}")).build());
        assertThat(latin1.status()).as(latin1.toString()).isEqualTo(200);

        // Declared too large: refused before the body is read.
        String big = "{\"a\":\"" + "x".repeat(1_100_000) + "\"}";
        assertProblem(http.send(json(http, "itest/echo", big)), 413, "payload-too-large");
        // Chunked (no Content-Length): counted while reading.
        assertProblem(http.send(http.request("itest/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build()),
                413, "payload-too-large");
    }

    @Test
    public void slowSendersHoldNoThreadAndTheServerKeepsAnswering() throws Exception {
        Http http = withEchoResource();
        List<Socket> slow = new ArrayList<>();
        try {
            // Far more clients than the server has threads (64) send part of a body and stop: half of
            // them to the sign-in endpoint, which needs no session. (Reading bodies with blocking reads,
            // 61 threads are stuck after the first ~60 and /health times out; with 90 clients it still
            // answered here, through Jetty's last spare thread.)
            for (int i = 0; i < 150; i++) {
                boolean signIn = i % 2 == 0;
                slow.add(RawHttp.postJson(http, signIn ? "/v1/sessions" : "/itest/echo", signIn ? "slow-sign-in" : "slow-echo",
                        "{\"a\":12345}", 5));
            }
            sleep(1000); // time for the server to take up every stalled request (longer only makes the test stricter)
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                assertThat(http.get("health").status()).isEqualTo(200);
                Http.Answer echoed = http.send(json(http, "itest/echo", "{\"b\":" + i + "}"));
                assertThat(echoed.status()).as(echoed.toString()).isEqualTo(200);
                assertThat(echoed.json().path("b").asInt()).isEqualTo(i);
                // Held threads would be freed only by the 30 s body time-out; half of it separates the two.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            }
            // and no stalled client was let go meanwhile (its 408 would have freed a thread)
            for (Socket s : slow) {
                assertThat(s.getInputStream().available()).as("a stalled client got an answer").isZero();
            }
            // A slow client that finishes its body gets the answer to all of it, with its request id.
            Socket finishing = slow.get(1);
            finishing.getOutputStream().write("12345}".getBytes(StandardCharsets.US_ASCII));
            finishing.getOutputStream().flush();
            String answer = RawHttp.readAnswer(finishing);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("X-Request-Id: slow-echo").endsWith("{\"a\":12345}");
            // One to the sign-in endpoint: its garbage token is judged (a problem), not lost.
            Socket signIn = slow.get(2);
            signIn.getOutputStream().write("12345}".getBytes(StandardCharsets.US_ASCII));
            signIn.getOutputStream().flush();
            assertThat(RawHttp.readAnswer(signIn)).startsWith("HTTP/1.1 4").contains("application/problem+json");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(http.get("health").status()).isEqualTo(200);
    }

    @Test
    public void unexpectedExceptionIs500WithCorrelationIdAndNoInternals() {
        Http http = withEchoResource();
        try (LogCapture logs = LogCapture.start()) {
            Http.Answer answer = http.send(json(http, "itest/echo?fail=true", "{}"));
            assertProblem(answer, 500, "internal-error");
            String correlationId = answer.json().path("correlationId").asText();
            assertThat(correlationId).isNotBlank().isEqualTo(answer.header(Switchboard.REQUEST_ID_HEADER));
            assertThat(answer.body()).doesNotContain(EchoResource.SECRET_MESSAGE).doesNotContain("Exception").doesNotContain("at io.");
            // The error is logged with the same id in the log context.
            assertThat(logs.lines()).anySatisfy(e -> {
                assertThat(e.mdc().get(Switchboard.REQUEST_ID_MDC)).isEqualTo(correlationId);
                assertThat(e.message()).contains(correlationId);
            });
        }
    }

    @Test
    public void aSerializationFailureIsA500ProblemNotATruncated200() {
        Http http = withEchoResource();
        Http.Answer answer = http.send(json(http, "itest/echo?unserializable=true", "{}"));
        assertProblem(answer, 500, "internal-error");
        assertThat(answer.body()).doesNotContain("ppppp").doesNotContain(EchoResource.SECRET_MESSAGE);
        assertThat(answer.json().path("correlationId").asText()).isEqualTo(answer.header(Switchboard.REQUEST_ID_HEADER));
    }

    @Test
    public void requestIdIsTakenWhenSaneEchoedAndInEveryLogLine() {
        Http http = withEchoResource();
        try (LogCapture logs = LogCapture.start()) {
            Http.Answer given = http.send(http.request("itest/echo").header("Content-Type", "application/json")
                    .header(Switchboard.REQUEST_ID_HEADER, "client-abc.123")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(given.header(Switchboard.REQUEST_ID_HEADER)).isEqualTo("client-abc.123");
            assertThat(logs.lines()).filteredOn(e -> e.message().equals("echo called"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.mdc().get(Switchboard.REQUEST_ID_MDC)).isEqualTo("client-abc.123"));
        }
        Http.Answer insane = http.send(http.request("health").header(Switchboard.REQUEST_ID_HEADER, "bad id\twith spaces").GET().build());
        assertThat(insane.header(Switchboard.REQUEST_ID_HEADER)).isNotEqualTo("bad id\twith spaces").matches("[0-9a-f-]{36}");
        Http.Answer none = http.get("health");
        assertThat(none.header(Switchboard.REQUEST_ID_HEADER)).matches("[0-9a-f-]{36}");
    }

    @Test
    public void openApiDocumentMatchesTheLiveRoutes() {
        Http http = awaitHealthy();
        Http.Answer doc = http.get("openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        JsonNode json = doc.json();
        assertThat(json.path("openapi").asText()).startsWith("3.");

        Set<String> documented = new TreeSet<>();
        Set<String> methods = Set.of("get", "put", "post", "patch", "delete", "head", "options");
        Set<String> servletPaths = new TreeSet<>();
        json.path("paths").fields().forEachRemaining(p -> {
            if (p.getValue().path("x-switchboard-servlet").asBoolean()) {
                servletPaths.add(p.getKey()); // served outside JAX-RS (the proxy): checked over HTTP below
                return;
            }
            p.getValue().fieldNames().forEachRemaining(m -> {
                if (methods.contains(m)) {
                    documented.add(m.toUpperCase() + " " + p.getKey());
                }
            });
        });
        assertThat(servletPaths).contains("/v1/proxy/{accountId}/{path}");
        for (String path : servletPaths) {
            Http.Answer served = http.get(path.substring(1).replaceAll("\\{[^}]+}", "x"));
            assertThat(served.status()).as(path + " is served (and wants a session)").isEqualTo(401);
        }

        RuntimeDTO runtime = service(JaxrsServiceRuntime.class, null).getRuntimeDTO();
        Set<String> live = new TreeSet<>();
        ApplicationDTO app = runtime.defaultApplication;
        assertThat(app).as("the switchboard application").isNotNull();
        assertThat(app.name).isEqualTo(Switchboard.JAXRS_APPLICATION);
        // The whiteboard's built-in default application is shadowed by ours; nothing else may fail.
        assertThat(runtime.failedApplicationDTOs).allSatisfy(failed -> assertThat(failed.serviceId).isNotEqualTo(app.serviceId));
        assertThat(runtime.failedApplicationDTOs).hasSizeLessThanOrEqualTo(1);
        assertThat(runtime.failedResourceDTOs).isEmpty();
        assertThat(runtime.failedExtensionDTOs).isEmpty();
        for (ResourceDTO resource : app.resourceDTOs) {
            for (ResourceMethodInfoDTO method : resource.resourceMethods) {
                if (!method.path.startsWith("/itest")) {
                    live.add(method.method + " " + method.path);
                }
            }
        }
        assertThat(live).isNotEmpty();
        assertThat(documented).isEqualTo(live);
    }

    @Test
    public void jpaPersistsThroughTheStore() {
        awaitHealthy();
        AuditLog audit = service(AuditLog.class, null);
        AuditLog.AuditEvent event = audit.record("app-1", "operator", "itest.checked", "subject-1", "detail");
        assertThat(audit.recent("app-1", 10)).extracting(AuditLog.AuditEvent::id).contains(event.id());
        assertThat(audit.recent("app-2", 10)).isEmpty();
    }

    // --- helpers

    private ServiceRegistration<?> echo;

    private Http withEchoResource() {
        Http http = awaitHealthy();
        if (echo == null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("osgi.jaxrs.resource", Boolean.TRUE);
            props.put("osgi.jaxrs.application.select", Switchboard.JAXRS_APPLICATION_SELECT);
            echo = context.registerService(Object.class, new EchoResource(), props);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.send(json(http, "itest/echo", "{}")).status() != 200) {
            assertThat(System.nanoTime()).as("echo resource served").isLessThan(deadline);
            sleep(100);
        }
        return http;
    }

    private static HttpRequest json(Http http, String path, String body) {
        return http.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void assertProblem(Http.Answer answer, int status, String slug) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.path("type").asText()).isEqualTo("urn:switchboard:problem:" + slug);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("requestId").asText()).isEqualTo(answer.header(Switchboard.REQUEST_ID_HEADER));
        assertThat(answer.body()).doesNotContain("<html").doesNotContain("\tat ");
    }
}
