package io.switchboard.testkit.gmail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** One user's mailbox in {@link FakeGmail}: labels (the system ones and the user's) and messages. */
final class GmailBox {
    static final List<String> SYSTEM_LABELS = List.of("INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT",
            "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS");
    private static final AtomicLong IDS = new AtomicLong(0x18c2f0e1a2b3c000L);

    record Label(String id, String name, String type) {}

    /** An attachment; {@code content} {@code null}: the large-body pattern of its size (a seed). */
    record Attachment(String id, String filename, String mimeType, int size, byte[] content) {
        Attachment(String id, String filename, String mimeType, int size) {
            this(id, filename, mimeType, size, null);
        }
    }

    static final class Message {
        final String id = Long.toHexString(IDS.incrementAndGet());
        String threadId = id;
        final Set<String> labels = new LinkedHashSet<>();
        final List<Map<String, String>> headers = new ArrayList<>();
        String text;
        String html;
        final List<Attachment> attachments = new ArrayList<>();
        Instant internalDate = Instant.now();

        String header(String name) {
            return headers.stream().filter(h -> h.get("name").equalsIgnoreCase(name)).map(h -> h.get("value")).findFirst().orElse(null);
        }

        void header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("name", name);
            h.put("value", value);
            headers.add(h);
        }
    }

    final Map<String, Label> labels = new LinkedHashMap<>();
    final List<Message> messages = new ArrayList<>();
    /** Draft id to the id of the message it holds now. */
    final Map<String, String> drafts = new LinkedHashMap<>();

    GmailBox() {
        for (String id : SYSTEM_LABELS) {
            labels.put(id, new Label(id, id, "system"));
        }
    }

    Message message(String id) {
        return messages.stream().filter(m -> m.id.equals(id)).findFirst().orElse(null);
    }

    static String newId() {
        return Long.toHexString(IDS.incrementAndGet());
    }
}
