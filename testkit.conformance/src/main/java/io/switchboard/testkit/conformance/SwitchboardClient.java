package io.switchboard.testkit.conformance;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A mailbox user's view of a running Switchboard: its public API called with one session, over
 * real HTTP, and the account-linking flows driven the way the Office dialog would drive them.
 * Redirects are never followed and no cookie is kept unless a step passes it on.
 */
public final class SwitchboardClient {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\"accountId\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\" value=\"([^\"]+)\"");

    private final URI base;
    private final String session;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base the server's base URI, e.g. {@code http://127.0.0.1:8080/}
     * @param session a Switchboard access token of the user the suite acts as
     */
    public SwitchboardClient(URI base, String session) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.session = Objects.requireNonNull(session);
    }

    /** An answer: status, headers, body, and the body as a JSON object when it is one. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        /** The body as a JSON object; fails when it is not one. */
        public Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError("not a JSON object: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
        }
    }

    /** A call to the public API with the session; {@code body} is JSON or {@code null}. */
    public Answer call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + session)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    /** A POST of the public API with the session whose body is bytes of a type (a file), with its Content-Length. */
    public Answer upload(String path, String contentType, byte[] content) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + session)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(content)).build());
    }

    /** A GET of the public API with the session whose answer is bytes (a download); a status other than 200 is an {@link AssertionError}. */
    public byte[] download(String path) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + session).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A plain GET of an absolute URI or a path of the server, without the session, with an optional cookie. */
    public Answer get(String uriOrPath, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(uriOrPath)).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A linking ticket for the connector, waiting up to 30 s for it to be deployed. */
    public String ticket(String connectorId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Answer ticket = call("POST", "v1/connect/" + connectorId + "/tickets", null);
            if (ticket.status() == 200) {
                return String.valueOf(ticket.json().get("ticket"));
            }
            Checks.check(System.nanoTime() < deadline, "the " + connectorId + " connector is deployed: " + ticket);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Links an account through the OAuth dialog flow: start, the provider's authorization URL
     * (the fake consents at once and redirects back), the callback with the browser-binding
     * cookie. Returns the new account's id.
     *
     * @param authorizationUrl where the start must redirect to (a prefix)
     * @param parameters names of parameters the authorization request must carry besides
     *        {@code state} (e.g. {@code code_challenge})
     */
    public String linkThroughDialog(String connectorId, String authorizationUrl, String... parameters) {
        Answer start = get("v1/connect/" + connectorId + "/start?ticket=" + ticket(connectorId), null);
        Checks.check(start.status() == 302 && start.header("Location") != null && start.header("Location").startsWith(authorizationUrl),
                "start redirects to the provider's authorization URL: " + start);
        Checks.check(start.header("Location").contains("state="), "the authorization request carries a state");
        for (String parameter : parameters) {
            Checks.check(start.header("Location").contains(parameter + "="), "the authorization request carries " + parameter);
        }
        Answer consent = get(start.header("Location"), null);
        Checks.check(consent.status() == 302 && consent.header("Location") != null, "the provider redirects back: " + consent);
        return accountIdOf(get(consent.header("Location"), cookieOf(start)));
    }

    /**
     * Links an account through the password form: start shows the form, which is posted with
     * the state, the browser-binding cookie and the given fields ({@code instance},
     * {@code username}, {@code password}). Returns the new account's id.
     */
    public String linkWithPassword(String connectorId, Map<String, String> fields) {
        Answer form = get("v1/connect/" + connectorId + "/start?ticket=" + ticket(connectorId), null);
        Checks.check(form.status() == 200, "start shows the password form: " + form);
        Matcher state = STATE_FIELD.matcher(form.body());
        Checks.check(state.find(), "the form carries a state");
        String body = "state=" + enc(state.group(1)) + "&" + fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest post = HttpRequest.newBuilder(base.resolve("v1/connect/" + connectorId + "/password")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookieOf(form))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return accountIdOf(send(post));
    }

    private static String cookieOf(Answer answer) {
        String setCookie = answer.header("Set-Cookie");
        Checks.check(setCookie != null, "the flow sets its browser-binding cookie");
        return setCookie.split(";")[0];
    }

    private static String accountIdOf(Answer done) {
        Matcher m = ACCOUNT_ID.matcher(done.body());
        Checks.check(done.status() == 200 && m.find(), "the flow ends with the linked account: " + done);
        return m.group(1);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
