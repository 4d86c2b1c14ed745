import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives POST /v1/sessions against a running Switchboard with Entra ID tokens from a local fake
 * (keys cached after the first sign-in), and writes one access token to a file for wrk.
 *   java -cp <testkit+nimbus> bench/SessionBench.java <base-url> <admin-token> <seconds> <threads> <token-file>
 */
public class SessionBench {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String admin = args[1];
        int seconds = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path tokenFile = Path.of(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String tenant = "11111111-2222-3333-4444-555555555555";
        try (FakeEntraId entra = new FakeEntraId()) {
            String app = "{\"name\":\"bench\",\"settings\":{\"identity\":{\"entra\":{\"audiences\":[\"api://bench\"],"
                    + "\"requiredScope\":\"access_as_user\",\"tenants\":[\"" + tenant + "\"],\"authority\":\"" + entra.authority() + "\"}}}}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/admin/v1/apps"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(app)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
            if (created.statusCode() != 201 || !m.find()) {
                throw new IllegalStateException("cannot create the bench app: " + created.statusCode() + " " + created.body());
            }
            String appId = m.group(1);
            // 1,000 users, tokens minted up front so the client is not the bottleneck.
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                JWTClaimsSet claims = entra.accessTokenV2(tenant, UUID.randomUUID().toString(), "api://bench", "access_as_user").build();
                bodies.add("{\"app\":\"" + appId + "\",\"token\":\"" + entra.sign(claims) + "\"}");
            }
            String first = post(http, base, bodies.get(0));
            Matcher at = Pattern.compile("\"accessToken\":\"([^\"]+)\"").matcher(first);
            at.find();
            Files.writeString(tokenFile, at.group(1));
            Files.writeString(tokenFile.resolveSibling("signin.json"), bodies.get(1));
            // For wrk: one sign-in body per line, distinct users.
            Files.write(tokenFile.resolveSibling("signins.txt"), bodies.subList(1, bodies.size()));
            // Warm-up, then the measured run.
            run(http, base, bodies, Math.min(5, seconds), threads);
            long[] result = run(http, base, bodies, seconds, threads);
            System.out.printf("POST /v1/sessions: %d sessions in %d s with %d threads = %.0f sessions/s (errors: %d)%n",
                    result[0], seconds, threads, result[0] / (double) seconds, result[1]);
        }
    }

    static long[] run(HttpClient http, URI base, List<String> bodies, int seconds, int threads) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/sessions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()))))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        (r.statusCode() == 200 ? ok : errors).incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return new long[] {ok.get(), errors.get()};
    }

    static String post(HttpClient http, URI base, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/sessions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
