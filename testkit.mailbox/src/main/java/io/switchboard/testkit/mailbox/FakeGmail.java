package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import java.util.List;
import java.util.Map;

/**
 * The Gmail API (v1) for the users of a {@link FakeGoogleOAuth}: it accepts the access tokens that
 * fake issued. {@code GET /gmail/v1/users/me/profile} gives {@code emailAddress},
 * {@code messagesTotal}, {@code threadsTotal} and {@code historyId} (an int64 written as a
 * string). Errors have Google's shape: {@code {"error":{"code","message","errors":[{"message",
 * "domain","reason"}],"status"}}}; a missing or dead token is 401 {@code UNAUTHENTICATED}.
 */
public class FakeGmail extends FakeServer {
    private final FakeGoogleOAuth oauth;

    public FakeGmail(FakeGoogleOAuth oauth) {
        this.oauth = oauth;
        route("GET", "/gmail/v1/users/me/profile", this::profile);
    }

    /** The address of a subject of the OAuth fake (what its userinfo says too). */
    public static String address(String subject) {
        return subject + "@provider.example";
    }

    private FakeResponse profile(FakeRequest req) {
        String subject = caller(req);
        if (subject == null) {
            return unauthenticated();
        }
        return FakeResponse.json(200, Json.write(Map.of("emailAddress", address(subject), "messagesTotal", 0, "threadsTotal", 0,
                "historyId", "1")));
    }

    private String caller(FakeRequest req) {
        String auth = req.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? oauth.subjectOf(auth.substring(7)) : null;
    }

    private static FakeResponse unauthenticated() {
        return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
                + "other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "authError", "Invalid Credentials").withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", "
                        + "error=\"invalid_token\"");
    }

    /** Google's error body. */
    static FakeResponse error(int status, String googleStatus, String message, String reason, String shortMessage) {
        return FakeResponse.json(status, Json.write(Map.of("error", Map.of("code", status, "message", message,
                "errors", List.of(Map.of("message", shortMessage, "domain", "global", "reason", reason)), "status", googleStatus))));
    }
}
