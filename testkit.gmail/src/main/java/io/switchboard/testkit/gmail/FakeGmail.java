package io.switchboard.testkit.gmail;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Gmail API (v1) on a host like {@code www.googleapis.com} (where testkit.calendar's Google
 * Calendar can be served beside it, {@link #extend}), for the users of a
 * {@link FakeGoogleOAuth}: it accepts the access tokens that fake issued. {@code GET /gmail/v1/users/me/profile} gives {@code emailAddress},
 * {@code messagesTotal}, {@code threadsTotal} and {@code historyId} (an int64 written as a
 * string). Errors have Google's shape: {@code {"error":{"code","message","errors":[{"message",
 * "domain","reason"}],"status"}}}; a missing or dead token is 401 {@code UNAUTHENTICATED}.
 */
public class FakeGmail extends FakeServer {
    private final FakeGoogleOAuth oauth;

    private final Map<String, GmailBox> mailboxes = new ConcurrentHashMap<>();
    private final GmailApi api = new GmailApi(this);
    private final GmailHistory history = new GmailHistory();

    public FakeGmail(FakeGoogleOAuth oauth) {
        this.oauth = oauth;
        route("GET", "/gmail/v1/users/me/profile", this::profile);
        route("*", "/gmail/v1/users/me/", this::api);
        extend("/upload/gmail/v1/users/me/drafts/", (req, subject) -> {
            GmailBox box = mailbox(subject);
            synchronized (box) {
                return GmailDrafts.upload(req, box, subject);
            }
        });
    }

    /** Serves another Google API under {@code prefix} on this host to the OAuth fake's users ({@code handler} gets the request and the user). */
    public void extend(String prefix, java.util.function.BiFunction<FakeRequest, String, FakeResponse> handler) {
        route("*", prefix, req -> {
            String subject = caller(req);
            return subject == null ? unauthenticated() : handler.apply(req, subject);
        });
    }

    GmailHistory history() {
        return history;
    }

    /** Gmail forgets the user's history ids (they last "at least a week, in rare cases hours"): {@code history.list} from any of them is 404. */
    public void forgetHistory(String subject) {
        history.forget(subject);
    }

    /** The user deletes a message for good (emptying the trash): history says {@code messagesDeleted}. */
    public void destroy(String subject, String messageId) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            box.messages.remove(box.message(messageId));
        }
    }

    GmailBox mailbox(String subject) {
        return mailboxes.computeIfAbsent(subject, s -> new GmailBox());
    }

    /** A message arrives in a user's inbox, unread (a test's seed); returns its id (also its new thread's id). */
    public String deliver(String subject, String from, String title, String text, String html, Instant received) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            GmailBox.Message m = new GmailBox.Message();
            m.labels.addAll(List.of("INBOX", "UNREAD", "CATEGORY_PERSONAL"));
            m.header("From", from);
            m.header("To", address(subject));
            m.header("Subject", title);
            m.header("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(received.atZone(java.time.ZoneOffset.UTC)));
            m.header("Message-ID", "<" + m.id + "@mail.example>");
            m.text = text;
            m.html = html;
            m.internalDate = received;
            box.messages.add(m);
            return m.id;
        }
    }

    /** A user label (a test's seed); returns its id. */
    public String label(String subject, String name) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            String id = "Label_" + (box.labels.size() - GmailBox.SYSTEM_LABELS.size() + 1);
            box.labels.put(id, new GmailBox.Label(id, name, "user"));
            return id;
        }
    }

    /** Adds a label to a message, or removes it (a test's seed: UNREAD, STARRED, a user label). */
    public void labelMessage(String subject, String messageId, String labelId, boolean add) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            if (add) {
                box.message(messageId).labels.add(labelId);
            } else {
                box.message(messageId).labels.remove(labelId);
            }
        }
    }

    /** Adds an attachment's metadata to a message (a test's seed). */
    public void attach(String subject, String messageId, String filename, String mimeType, int size) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            box.message(messageId).attachments.add(new GmailBox.Attachment("ANGjdJ" + GmailBox.newId(), filename, mimeType, size));
        }
    }

    /**
     * A user's messages as Gmail holds them, oldest first: {@code id}, {@code threadId},
     * {@code labelIds}, {@code headers} (name to value), {@code text}, {@code html}.
     */
    public List<Map<String, Object>> messages(String subject) {
        GmailBox box = mailbox(subject);
        synchronized (box) {
            return box.messages.stream().map(m -> {
                Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("id", m.id);
                out.put("threadId", m.threadId);
                out.put("labelIds", List.copyOf(m.labels));
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                m.headers.forEach(h -> headers.putIfAbsent(h.get("name"), h.get("value")));
                out.put("headers", headers);
                out.put("text", m.text);
                out.put("html", m.html);
                return out;
            }).toList();
        }
    }

    private FakeResponse api(FakeRequest req) {
        String subject = caller(req);
        return subject == null ? unauthenticated() : api.handle(req, subject);
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
        GmailBox box = mailbox(subject);
        synchronized (box) {
            return FakeResponse.json(200, JSONObjectUtils.toJSONString(Map.of("emailAddress", address(subject), "messagesTotal", box.messages.size(),
                    "threadsTotal", box.messages.stream().map(m -> m.threadId).distinct().count(), "historyId",
                    Long.toString(history.mark(subject, box)))));
        }
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
    public static FakeResponse error(int status, String googleStatus, String message, String reason, String shortMessage) {
        return FakeResponse.json(status, JSONObjectUtils.toJSONString(Map.of("error", Map.of("code", status, "message", message,
                "errors", List.of(Map.of("message", shortMessage, "domain", "global", "reason", reason)), "status", googleStatus))));
    }
}
