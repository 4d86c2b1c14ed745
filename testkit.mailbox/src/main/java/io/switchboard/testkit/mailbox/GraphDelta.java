package io.switchboard.testkit.mailbox;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /me/mailFolders/{id}/messages/delta} as Graph answers it: a round follows
 * {@code @odata.nextLink}s ({@code $skiptoken}) until a page carries the {@code @odata.deltaLink}
 * ({@code $deltatoken}); the first request's {@code $select} and {@code Prefer:
 * odata.maxpagesize} hold for the whole round. The first round lists the folder; a round from a
 * delta token lists what was added or changed since (whole records) and
 * {@code {"id", "@removed": {"reason": "deleted"}}} for what left the folder (deleted or moved
 * away). Like the real service it misbehaves in ways a client must survive: every round starts
 * with a page whose {@code value} is empty, each page after the first repeats the last record
 * of the page before, and a delta token the service no longer holds (only the last four of a
 * folder are kept, or all are forgotten by {@link FakeGraph#forgetDeltaTokens}) is 410
 * {@code syncStateNotFound}.
 */
final class GraphDelta {
    private static final int KEPT = 4;

    /** The folder's messages when a round started: immutable id to (REST id, state). */
    private record Snapshot(Map<String, String[]> messages) {}

    /** A round under way: what to send, where it stands, and the snapshot its delta token will stand for. */
    private record Round(String subject, String folderId, List<String> send, List<String> removed, Snapshot start, String select,
                         int pageSize, int position, boolean emptySent) {}

    private final FakeGraph graph;
    private final Map<String, Round> rounds = new ConcurrentHashMap<>();
    /** Per subject and folder, the delta tokens still held (oldest first). */
    private final Map<String, Deque<Map.Entry<String, Snapshot>>> tokens = new ConcurrentHashMap<>();

    GraphDelta(FakeGraph graph) {
        this.graph = graph;
    }

    /** Every delta token of the user's folders is forgotten: their next use is 410 {@code syncStateNotFound}. */
    void forget(String subject) {
        tokens.keySet().removeIf(k -> k.startsWith(subject + "/"));
    }

    FakeResponse handle(FakeRequest req, GraphMailbox box, String subject, GraphMailbox.Folder folder, boolean immutable) {
        Map<String, String> q = req.queryParams();
        Round round;
        if (q.containsKey("$skiptoken")) {
            round = rounds.remove(q.get("$skiptoken"));
            if (round == null || !round.subject().equals(subject)) {
                return FakeGraph.error(400, "ErrorInvalidParameter", "The skip token is not valid.");
            }
        } else {
            Snapshot now = snapshot(box, folder.id(), immutable);
            List<String> send = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            if (q.containsKey("$deltatoken")) {
                Snapshot before = held(subject, folder.id(), q.get("$deltatoken"));
                if (before == null) {
                    return FakeGraph.error(410, "syncStateNotFound", "The sync state generation is not found.");
                }
                now.messages().forEach((id, state) -> {
                    String[] old = before.messages().get(id);
                    if (old == null || !old[1].equals(state[1])) {
                        send.add(id);
                    }
                });
                before.messages().forEach((id, state) -> {
                    if (!now.messages().containsKey(id)) {
                        removed.add(immutable ? id : state[0]);
                    }
                });
            } else {
                send.addAll(now.messages().keySet());
            }
            String prefer = String.valueOf(req.headers().get("Prefer"));
            java.util.regex.Matcher size = java.util.regex.Pattern.compile("odata\\.maxpagesize=(\\d+)").matcher(prefer);
            round = new Round(subject, folder.id(), send, removed, now, q.get("$select"), size.find() ? Integer.parseInt(size.group(1)) : 10,
                    0, false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", graph.baseUri() + "/v1.0/$metadata#Collection(message)");
        List<Map<String, Object>> value = new ArrayList<>();
        Round next;
        if (!round.emptySent()) {
            next = new Round(round.subject(), round.folderId(), round.send(), round.removed(), round.start(), round.select(), round.pageSize(),
                    0, true);
        } else {
            int all = round.send().size() + round.removed().size();
            int from = round.position();
            if (from > 0) {
                from--; // a replay of the last record of the page before
            }
            int to = Math.min(all, round.position() + round.pageSize());
            for (int i = from; i < to; i++) {
                if (i < round.send().size()) {
                    GraphMailbox.Message m = box.message(round.send().get(i));
                    if (m != null) { // gone since the round began: the next round says so
                        value.add(select(GraphMail.json(m, immutable, "html"), round.select()));
                    }
                } else {
                    value.add(Map.of("@odata.type", "#microsoft.graph.message", "id", round.removed().get(i - round.send().size()),
                            "@removed", Map.of("reason", "deleted")));
                }
            }
            next = to < all ? new Round(round.subject(), round.folderId(), round.send(), round.removed(), round.start(), round.select(),
                    round.pageSize(), to, true) : null;
        }
        out.put("value", value);
        String base = graph.baseUri() + "/v1.0/me/mailFolders/" + round.folderId() + "/messages/delta?";
        if (next != null) {
            String skip = UUID.randomUUID().toString().replace("-", "");
            rounds.put(skip, next);
            out.put("@odata.nextLink", base + "$skiptoken=" + skip);
        } else {
            String token = UUID.randomUUID().toString().replace("-", "");
            Deque<Map.Entry<String, Snapshot>> held = tokens.computeIfAbsent(subject + "/" + round.folderId(), k -> new ArrayDeque<>());
            synchronized (held) {
                held.addLast(Map.entry(token, round.start()));
                while (held.size() > KEPT) {
                    held.removeFirst();
                }
            }
            out.put("@odata.deltaLink", base + "$deltatoken=" + token);
        }
        return FakeResponse.json(200, Json.write(out));
    }

    private Snapshot held(String subject, String folderId, String token) {
        Deque<Map.Entry<String, Snapshot>> held = tokens.get(subject + "/" + folderId);
        if (held == null) {
            return null;
        }
        synchronized (held) {
            return held.stream().filter(e -> e.getKey().equals(token)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    private static Snapshot snapshot(GraphMailbox box, String folderId, boolean immutable) {
        Map<String, String[]> messages = new LinkedHashMap<>();
        for (GraphMailbox.Message m : box.messages) {
            if (m.folderId.equals(folderId)) {
                messages.put(m.immutableId, new String[] {m.restId, Json.write(GraphMail.json(m, immutable, "html"))});
            }
        }
        return new Snapshot(messages);
    }

    private static Map<String, Object> select(Map<String, Object> item, String select) {
        if (select != null) {
            List<String> keep = new ArrayList<>(List.of(select.split(",")));
            keep.add("id");
            item.keySet().retainAll(keep);
        }
        return item;
    }
}
