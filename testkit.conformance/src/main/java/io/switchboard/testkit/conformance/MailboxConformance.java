package io.switchboard.testkit.conformance;

import static io.switchboard.testkit.conformance.Checks.check;
import static io.switchboard.testkit.conformance.Checks.equal;
import static io.switchboard.testkit.conformance.Checks.run;

import io.switchboard.testkit.http.FakeServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The mailbox connector conformance suite: what every mailbox connector, deployed in a running
 * Switchboard and pointed at a faithful fake of its provider, must do through the unified mailbox
 * API ({@code /v1/mail/{account}/...}). Each check throws an {@link AssertionError} naming what it
 * expected; {@link #runAll()} runs them in order on one linked account. Framework-neutral, like
 * {@link CrmConformance}.
 *
 * <pre>{@code
 * new MailboxConformance(new SwitchboardClient(serverUri, sessionToken), new MySubject(fake)).runAll();
 * }</pre>
 */
public final class MailboxConformance {
    private static final String PROBLEM = "urn:switchboard:problem:";

    private final SwitchboardClient client;
    private final MailboxConformanceSubject subject;

    public MailboxConformance(SwitchboardClient client, MailboxConformanceSubject subject) {
        this.client = Objects.requireNonNull(client);
        this.subject = Objects.requireNonNull(subject);
    }

    /** Every check, on one account linked for a fresh provider user; returns the names of the checks that passed. */
    public List<String> runAll() {
        List<String> passed = new ArrayList<>();
        String user = "mail-conformance-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seeded.add(subject.deliver(user, "ann@customer.example", "Conformance " + i, "Body " + i));
        }
        subject.attach(user, seeded.get(4), "offer.pdf", "application/pdf", 30_000);
        String account = linksAndIdentifiesTheAccount(user);
        passed.add("links and identifies the account");
        run(passed, "lists the well-known folders", () -> listsTheWellKnownFolders(account));
        run(passed, "pages through the inbox newest first", () -> pagesThroughTheInboxNewestFirst(account, seeded));
        run(passed, "reads a message with its body and attachment", () -> readsAMessageWithItsBodyAndAttachment(account, seeded.get(4)));
        run(passed, "sends, and replies in the thread", () -> sendsAndRepliesInTheThread(account, user, seeded.get(0)));
        run(passed, "marks, and deletes to the trash", () -> marksAndDeletesToTheTrash(account, seeded.get(1)));
        run(passed, "saves, changes and sends a draft", () -> savesChangesAndSendsADraft(account, user));
        run(passed, "adds a large file to a draft", () -> addsALargeFileToADraft(account));
        run(passed, "maps provider errors to problems", () -> mapsProviderErrorsToProblems(account));
        run(passed, "refreshes once on a 401 and retries", () -> refreshesOnceOnA401AndRetries(account));
        run(passed, "maps the provider's rate limit", () -> mapsTheProvidersRateLimit(account, user));
        return passed;
    }

    /** Links an account of {@code user}; it is ACTIVE, of this connector, with the provider's identity and a name, and no token in sight. */
    public String linksAndIdentifiesTheAccount(String user) {
        String accountId = subject.link(client, user);
        Checks.linkedAccount(client, accountId, subject.connectorId(), subject.externalIdOf(user));
        return accountId;
    }

    /** The folders (or labels) hold the well-known kinds. */
    public void listsTheWellKnownFolders(String account) {
        Set<Object> kinds = new HashSet<>();
        items(ok(client.call("GET", "v1/mail/" + account + "/folders", null), 200, "folders")).forEach(f -> kinds.add(f.get("kind")));
        check(kinds.containsAll(List.of("inbox", "sent", "drafts", "trash")), "folders of kinds inbox, sent, drafts and trash; got " + kinds);
    }

    /** Two at a time with the opaque cursor, every seeded message comes once, newest first, without bodies. */
    public void pagesThroughTheInboxNewestFirst(String account, List<String> seeded) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = ok(client.call("GET", "v1/mail/" + account + "/messages?folder=inbox&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null), 200, "a page of the inbox");
            all.addAll(items(page));
            cursor = page.get("cursor") == null ? null : String.valueOf(page.get("cursor"));
            check(++pages <= 10, "the cursor ends");
        } while (cursor != null);
        check(pages >= 3, "five messages two at a time take three pages; took " + pages);
        List<Object> ids = all.stream().map(m -> m.get("id")).toList();
        check(ids.containsAll(seeded) && ids.size() == new HashSet<>(ids).size(), "every seeded message once; got " + ids);
        for (int i = 1; i < all.size(); i++) {
            check(String.valueOf(all.get(i - 1).get("receivedAt")).compareTo(String.valueOf(all.get(i).get("receivedAt"))) >= 0, "newest first");
        }
        check(all.stream().noneMatch(m -> m.get("htmlBody") != null || m.get("textBody") != null), "lists carry no bodies");
    }

    /** One message: its subject, body and the attachment's metadata; the attachment's bytes download whole. */
    public void readsAMessageWithItsBodyAndAttachment(String account, String id) {
        Map<String, Object> m = ok(client.call("GET", "v1/mail/" + account + "/messages/" + id, null), 200, "the message");
        equal(m.get("id"), id, "the message's id");
        equal(m.get("subject"), "Conformance 4", "the subject");
        check(String.valueOf(m.get("textBody")).contains("Body 4") || String.valueOf(m.get("htmlBody")).contains("Body 4"), "the body");
        List<Map<String, Object>> attachments = items(Map.of("items", m.getOrDefault("attachments", List.of())));
        check(attachments.size() == 1, "one attachment; got " + attachments);
        equal(attachments.get(0).get("name"), "offer.pdf", "the attachment's name");
        equal(attachments.get(0).get("size"), 30_000, "the attachment's size");
        byte[] bytes = client.download("v1/mail/" + account + "/messages/" + id + "/attachments/" + attachments.get(0).get("id"));
        check(bytes.length == 30_000, "30,000 bytes of attachment; got " + bytes.length);
        for (int i = 0; i < bytes.length; i += 997) {
            check(bytes[i] == FakeServer.largeBodyByte(i), "the attachment's bytes as the provider holds them");
        }
    }

    /** A new message reaches the provider's sent mail; a reply lands in the original's thread. */
    public void sendsAndRepliesInTheThread(String account, String user, String original) {
        ok(client.call("POST", "v1/mail/" + account + "/messages", "{\"to\":[\"bob@customer.example\"],\"subject\":\"Conformance sent\","
                + "\"text\":\"Hello\"}"), 202, "sending");
        check(subject.sent(user).stream().anyMatch(s -> "Conformance sent".equals(s.get("subject"))), "the sent message at the provider");
        ok(client.call("POST", "v1/mail/" + account + "/messages", "{\"inReplyTo\":\"" + original + "\",\"text\":\"Answer\"}"), 202, "replying");
        String thread = subject.threadOf(user, original);
        check(subject.sent(user).stream().anyMatch(s -> thread.equals(s.get("thread")) && String.valueOf(s.get("subject")).toLowerCase().startsWith("re")),
                "the reply in the original's thread " + thread + "; sent: " + subject.sent(user));
    }

    /** Read and flagged states change; a deleted message goes to the trash under the same id. */
    public void marksAndDeletesToTheTrash(String account, String id) {
        ok(client.call("PATCH", "v1/mail/" + account + "/messages/" + id, "{\"unread\":false,\"flagged\":true}"), 204, "marking");
        Map<String, Object> m = ok(client.call("GET", "v1/mail/" + account + "/messages/" + id, null), 200, "the marked message");
        equal(m.get("unread"), false, "read");
        equal(m.get("flagged"), true, "flagged");
        ok(client.call("DELETE", "v1/mail/" + account + "/messages/" + id, null), 204, "deleting");
        List<Object> trash = items(ok(client.call("GET", "v1/mail/" + account + "/messages?folder=trash&limit=50", null), 200, "the trash"))
                .stream().map(t -> t.get("id")).toList();
        check(trash.contains(id), "the deleted message in the trash under its id; trash: " + trash);
    }

    /** A draft is saved, changed and sent, and the provider holds the changed one as sent. */
    public void savesChangesAndSendsADraft(String account, String user) {
        Map<String, Object> draft = ok(client.call("POST", "v1/mail/" + account + "/drafts", "{\"to\":[\"cy@customer.example\"],"
                + "\"subject\":\"Conformance draft\",\"text\":\"First\"}"), 201, "saving a draft");
        String id = String.valueOf(draft.get("id"));
        ok(client.call("PUT", "v1/mail/" + account + "/drafts/" + id, "{\"to\":[\"cy@customer.example\"],\"subject\":\"Conformance draft 2\","
                + "\"text\":\"Second\"}"), 200, "changing the draft");
        ok(client.call("POST", "v1/mail/" + account + "/drafts/" + id + "/send", null), 202, "sending the draft");
        check(subject.sent(user).stream().anyMatch(s -> "Conformance draft 2".equals(s.get("subject"))), "the changed draft sent");
    }

    /**
     * A file of 4 MiB (over Graph's 3 MB for one request) added to a draft as a stream comes back
     * from the draft's message byte for byte.
     */
    public void addsALargeFileToADraft(String account) {
        Map<String, Object> draft = ok(client.call("POST", "v1/mail/" + account + "/drafts", "{\"to\":[\"dee@customer.example\"],"
                + "\"subject\":\"Conformance file\",\"text\":\"Attached\"}"), 201, "saving a draft");
        byte[] file = FakeServer.largeBodyBytes(4 * 1024 * 1024);
        Map<String, Object> added = ok(client.upload("v1/mail/" + account + "/drafts/" + draft.get("id") + "/attachments?name=big.bin",
                "application/octet-stream", file), 201, "adding the file");
        Map<?, ?> now = (Map<?, ?>) added.get("draft");
        Map<?, ?> attachment = (Map<?, ?>) added.get("attachment");
        equal(attachment.get("size"), file.length, "the file's size");
        byte[] back = client.download("v1/mail/" + account + "/messages/" + now.get("messageId") + "/attachments/" + attachment.get("id"));
        check(java.util.Arrays.equals(back, file), "the file from the draft, byte for byte (" + back.length + " bytes)");
        ok(client.call("DELETE", "v1/mail/" + account + "/drafts/" + now.get("id"), null), 204, "discarding the draft");
    }

    /** A message the provider does not have is 404 {@code not-found}; a message without recipients is 400 before the provider hears of it. */
    public void mapsProviderErrorsToProblems(String account) {
        SwitchboardClient.Answer missing = client.call("GET", "v1/mail/" + account + "/messages/" + subject.missingMessageId(), null);
        equal(missing.status(), 404, "a missing message: " + missing);
        equal(missing.json().get("type"), PROBLEM + "not-found", "its problem type");
        equal(client.call("POST", "v1/mail/" + account + "/messages", "{\"text\":\"nobody\"}").status(), 400, "a message without recipients");
    }

    /** After the provider stops honouring the access token, one refresh and the call succeeds. */
    public void refreshesOnceOnA401AndRetries(String account) {
        int before = subject.refreshCalls();
        subject.expireAccessTokens();
        ok(client.call("GET", "v1/mail/" + account + "/folders", null), 200, "folders after the token expired");
        equal(subject.refreshCalls(), before + 1, "refreshes");
    }

    /** The provider's rate limit is 429 {@code rate-limited} with {@code Retry-After}. */
    public void mapsTheProvidersRateLimit(String account, String user) {
        subject.rateLimitNextCall(user);
        SwitchboardClient.Answer limited = client.call("GET", "v1/mail/" + account + "/folders", null);
        equal(limited.status(), 429, "a rate-limited call: " + limited);
        equal(limited.json().get("type"), PROBLEM + "rate-limited", "its problem type");
        check(limited.header("Retry-After") != null, "Retry-After");
    }

    private static Map<String, Object> ok(SwitchboardClient.Answer answer, int status, String what) {
        equal(answer.status(), status, what + ": " + answer);
        return answer.body() == null || answer.body().isBlank() ? Map.of() : answer.json();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return page.get("items") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
