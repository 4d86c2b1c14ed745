package io.switchboard.testkit.mailbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One user's mailbox in {@link FakeGraph}: folders (the well-known ones with their names) and
 * messages. A message has an immutable id for its life and a REST id that changes whenever it
 * moves, as Exchange's default ids do.
 */
final class GraphMailbox {
    /** The well-known folder names Graph accepts in place of ids, with their display names. */
    static final Map<String, String> WELL_KNOWN = Map.of("inbox", "Inbox", "sentitems", "Sent Items", "drafts", "Drafts",
            "deleteditems", "Deleted Items", "junkemail", "Junk Email", "archive", "Archive");

    record Folder(String id, String name, String wellKnown, String parentId) {}

    static final class Message {
        final String immutableId = id("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A");
        String restId;
        String folderId;
        String conversationId;
        String internetMessageId = "<" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@fake.graph>";
        Map<String, Object> from;
        List<Map<String, Object>> to = new ArrayList<>();
        List<Map<String, Object>> cc = new ArrayList<>();
        List<Map<String, Object>> bcc = new ArrayList<>();
        List<Map<String, Object>> replyTo = new ArrayList<>();
        String subject;
        String bodyType = "html";
        String body = "";
        Instant received = Instant.now();
        boolean read;
        boolean draft;
        boolean flagged;
        List<Map<String, Object>> attachments = new ArrayList<>();

        Message(String folderId) {
            this.folderId = folderId;
            this.restId = id("AAMkAGI2THVSAAA");
        }

        void moveTo(String folder) {
            this.folderId = folder;
            this.restId = id("AAMkAGI2THVSAAA"); // default ids change on every move
        }
    }

    final Map<String, Folder> folders = new LinkedHashMap<>();
    final List<Message> messages = new ArrayList<>();

    GraphMailbox() {
        Folder root = new Folder(id("AAMkAGRoot"), "Top of Information Store", null, null);
        for (String name : List.of("inbox", "drafts", "sentitems", "deleteditems", "junkemail", "archive")) {
            Folder f = new Folder(id("AQMkAGF"), WELL_KNOWN.get(name), name, root.id());
            folders.put(f.id(), f);
        }
    }

    /** A folder by id or well-known name, or {@code null}. */
    synchronized Folder folder(String idOrName) {
        for (Folder f : folders.values()) {
            if (f.id().equals(idOrName) || idOrName.equalsIgnoreCase(f.wellKnown())) {
                return f;
            }
        }
        return null;
    }

    /** A message by either of its ids, or {@code null}. */
    synchronized Message message(String id) {
        for (Message m : messages) {
            if (m.immutableId.equals(id) || m.restId.equals(id)) {
                return m;
            }
        }
        return null;
    }

    static Map<String, Object> recipient(String name, String address) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("name", name == null ? address : name);
        email.put("address", address);
        return Map.of("emailAddress", email);
    }

    private static String id(String prefix) {
        byte[] random = new byte[24];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('_', '-') + "AAA=";
    }
}
