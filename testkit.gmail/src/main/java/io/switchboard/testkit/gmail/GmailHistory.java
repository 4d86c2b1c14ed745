package io.switchboard.testkit.gmail;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code users.history.list} as Gmail answers it: from a {@code startHistoryId} the service gave
 * ({@code getProfile}, an earlier list), the changes <em>after</em> it in increasing, not
 * contiguous, ids: {@code messagesAdded}, {@code labelsAdded} / {@code labelsRemoved} (trashing
 * is {@code labelsAdded TRASH}), {@code messagesDeleted} (deleted for good only). The embedded
 * messages carry only {@code id} and {@code threadId}, so a client must read the message for
 * its labels. 100 records to a page unless {@code maxResults} (at most 500), {@code nextPageToken}
 * until the last, every page with the new {@code historyId}; no change at all answers only
 * {@code historyId}. A history id the service no longer holds (only the last eight of a user are
 * kept, or all forgotten by {@link FakeGmail#forgetHistory}) is 404.
 */
final class GmailHistory {
    private static final int KEPT = 8;

    private final AtomicLong ids = new AtomicLong(41_000);
    /** Per subject, the mailbox as it was at each history id still held: message id to {threadId, labels}. */
    private final Map<String, Deque<Map.Entry<Long, Map<String, List<String>>>>> held = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> pages = new ConcurrentHashMap<>();
    private final Map<String, Long> pageIds = new ConcurrentHashMap<>();

    /** The mailbox now under a new history id (the caller holds the box's lock). */
    long mark(String subject, GmailBox box) {
        return remember(subject, box, ids.addAndGet(1 + ThreadLocalRandom.current().nextInt(5)));
    }

    void forget(String subject) {
        held.remove(subject);
    }

    FakeResponse list(FakeRequest req, GmailBox box, String subject) {
        Map<String, String> q = req.queryParams();
        int max = q.containsKey("maxResults") ? Integer.parseInt(q.get("maxResults")) : 100;
        if (max < 1 || max > 500) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid maxResults", "invalidArgument", "Invalid maxResults");
        }
        List<Map<String, Object>> records;
        long historyId;
        if (q.containsKey("pageToken")) {
            records = pages.remove(q.get("pageToken"));
            Long id = pageIds.remove(String.valueOf(q.get("pageToken")));
            if (records == null || id == null) {
                return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid pageToken", "invalidArgument", "Invalid pageToken");
            }
            historyId = id;
        } else {
            String start = q.get("startHistoryId");
            if (start == null || !start.matches("\\d{1,18}")) {
                return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid startHistoryId", "invalidArgument", "Invalid startHistoryId");
            }
            Map<String, List<String>> before = snapshot(subject, Long.parseLong(start));
            if (before == null) {
                return FakeGmail.error(404, "NOT_FOUND", "Requested entity was not found.", "notFound", "Not Found");
            }
            records = diff(before, now(box));
            historyId = Math.max(ids.get() + 1, Long.parseLong(start) + 2L * records.size() + 1);
            ids.set(historyId);
            for (int i = 0; i < records.size(); i++) {
                records.get(i).put("id", Long.toString(historyId - 2L * (records.size() - i)));
            }
            remember(subject, box, historyId);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!records.isEmpty()) {
            out.put("history", List.copyOf(records.subList(0, Math.min(max, records.size()))));
        }
        if (records.size() > max) {
            String token = UUID.randomUUID().toString();
            pages.put(token, new ArrayList<>(records.subList(max, records.size())));
            pageIds.put(token, historyId);
            out.put("nextPageToken", token);
        }
        out.put("historyId", Long.toString(historyId));
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(out));
    }

    private static List<Map<String, Object>> diff(Map<String, List<String>> before, Map<String, List<String>> now) {
        List<Map<String, Object>> records = new ArrayList<>();
        now.forEach((id, state) -> {
            List<String> old = before.get(id);
            Map<String, Object> ref = Map.of("id", id, "threadId", state.get(0));
            if (old == null) {
                records.add(record(ref, "messagesAdded", Map.of("message", ref)));
                return;
            }
            Set<String> added = new LinkedHashSet<>(state.subList(1, state.size()));
            old.subList(1, old.size()).forEach(added::remove);
            Set<String> removed = new LinkedHashSet<>(old.subList(1, old.size()));
            state.subList(1, state.size()).forEach(removed::remove);
            if (!added.isEmpty()) {
                records.add(record(ref, "labelsAdded", Map.of("message", ref, "labelIds", List.copyOf(added))));
            }
            if (!removed.isEmpty()) {
                records.add(record(ref, "labelsRemoved", Map.of("message", ref, "labelIds", List.copyOf(removed))));
            }
        });
        before.forEach((id, state) -> {
            if (!now.containsKey(id)) {
                Map<String, Object> ref = Map.of("id", id, "threadId", state.get(0));
                records.add(record(ref, "messagesDeleted", Map.of("message", ref)));
            }
        });
        return records;
    }

    private static Map<String, Object> record(Map<String, Object> ref, String kind, Map<String, Object> change) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "0");
        r.put("messages", List.of(ref));
        r.put(kind, List.of(change));
        return r;
    }

    private long remember(String subject, GmailBox box, long id) {
        Deque<Map.Entry<Long, Map<String, List<String>>>> kept = held.computeIfAbsent(subject, s -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(Map.entry(id, now(box)));
            while (kept.size() > KEPT) {
                kept.removeFirst();
            }
        }
        return id;
    }

    private Map<String, List<String>> snapshot(String subject, long id) {
        Deque<Map.Entry<Long, Map<String, List<String>>>> kept = held.get(subject);
        if (kept == null) {
            return null;
        }
        synchronized (kept) {
            return kept.stream().filter(e -> e.getKey() == id).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    private static Map<String, List<String>> now(GmailBox box) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (GmailBox.Message m : box.messages) {
            List<String> state = new ArrayList<>();
            state.add(m.threadId);
            state.addAll(m.labels);
            out.put(m.id, state);
        }
        return out;
    }
}
