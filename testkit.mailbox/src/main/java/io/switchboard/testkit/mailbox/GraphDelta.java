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
 * Graph's delta queries, {@code GET /me/mailFolders/{id}/messages/delta} and
 * {@code GET /me/calendars/{id}/calendarView/delta} (whose first request's window holds for every
 * later round), as Graph answers them: a round follows
 * {@code @odata.nextLink}s ({@code $skiptoken}) until a page carries the {@code @odata.deltaLink}
 * ({@code $deltatoken}); the first request's {@code $select} and {@code Prefer:
 * odata.maxpagesize} hold for the whole round. The first round lists the collection; a round from a
 * delta token lists what was added or changed since (whole records) and
 * {@code {"id", "@removed": {"reason": "deleted"}}} for what left it (deleted, moved away, out of
 * the window). Like the real service it misbehaves in ways a client must survive: every round starts
 * with a page whose {@code value} is empty, each page after the first repeats the last record
 * of the page before, a delta token the service no longer holds (only the last four of a
 * collection are kept, or all are forgotten by {@link FakeGraph#forgetDeltaTokens}) is 410
 * {@code syncStateNotFound}, and a skip token serves one request (400 {@code ErrorInvalidParameter}
 * after that: Graph documents no reuse of a {@code nextLink}, so a client that kept one across a
 * crash must be ready to start the round again).
 */
final class GraphDelta {
    private static final int KEPT = 4;

    /** The collection when a round started: id to (the id a removal names, state), and the first request's parameters. */
    private record Snapshot(Map<String, String[]> items, Map<String, String> params) {}

    /** A round under way: what to send, where it stands, and the snapshot its delta token will stand for. */
    private record Round(String subject, String collection, String link, List<String> send, List<String> removed, Snapshot start,
                         int pageSize, int position, boolean emptySent) {}

    private final FakeGraph graph;
    private final Map<String, Round> rounds = new ConcurrentHashMap<>();
    /** Per subject and collection, the delta tokens still held (oldest first). */
    private final Map<String, Deque<Map.Entry<String, Snapshot>>> tokens = new ConcurrentHashMap<>();

    GraphDelta(FakeGraph graph) {
        this.graph = graph;
    }

    /** Every delta token of the user's folders is forgotten: their next use is 410 {@code syncStateNotFound}. */
    void forget(String subject) {
        tokens.keySet().removeIf(k -> k.startsWith(subject + "/"));
    }

    /** A folder's message delta. */
    FakeResponse messages(FakeRequest req, GraphMailbox box, String subject, GraphMailbox.Folder folder, boolean immutable) {
        return handle(req, subject, folder.id(), graph.baseUri() + "/v1.0/me/mailFolders/" + folder.id() + "/messages/delta", new DeltaCollection() {
            @Override
            public Map<String, String[]> now(Map<String, String> params) {
                Map<String, String[]> items = new LinkedHashMap<>();
                for (GraphMailbox.Message m : box.messages) {
                    if (m.folderId.equals(folder.id())) {
                        items.put(m.immutableId, new String[] {immutable ? m.immutableId : m.restId, Json.write(GraphMail.json(m, immutable, "html"))});
                    }
                }
                return items;
            }

            @Override
            public Map<String, Object> item(String id) {
                GraphMailbox.Message m = box.message(id);
                return m == null ? null : GraphMail.json(m, immutable, "html");
            }
        });
    }

    /**
     * A collection's delta: the first request (its parameters kept for the round and for every
     * round from its tokens), a {@code $skiptoken} or a {@code $deltatoken}.
     */
    FakeResponse handle(FakeRequest req, String subject, String collection, String link, DeltaCollection items) {
        Map<String, String> q = req.queryParams();
        Round round;
        if (q.containsKey("$skiptoken")) {
            round = rounds.remove(q.get("$skiptoken"));
            if (round == null || !round.subject().equals(subject)) {
                return FakeGraph.error(400, "ErrorInvalidParameter", "The skip token is not valid.");
            }
        } else {
            Snapshot before = null;
            Map<String, String> params = new LinkedHashMap<>(q);
            if (q.containsKey("$deltatoken")) {
                before = held(subject, collection, q.get("$deltatoken"));
                if (before == null) {
                    return FakeGraph.error(410, "syncStateNotFound", "The sync state generation is not found.");
                }
                params = before.params();
            }
            Snapshot now = new Snapshot(items.now(params), params);
            List<String> send = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            if (before != null) {
                Snapshot was = before;
                now.items().forEach((id, state) -> {
                    String[] old = was.items().get(id);
                    if (old == null || !old[1].equals(state[1])) {
                        send.add(id);
                    }
                });
                was.items().forEach((id, state) -> {
                    if (!now.items().containsKey(id)) {
                        removed.add(state[0]);
                    }
                });
            } else {
                send.addAll(now.items().keySet());
            }
            String prefer = String.valueOf(req.headers().get("Prefer"));
            java.util.regex.Matcher size = java.util.regex.Pattern.compile("odata\\.maxpagesize=(\\d+)").matcher(prefer);
            round = new Round(subject, collection, link, send, removed, now, size.find() ? Integer.parseInt(size.group(1)) : 10, 0, false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", graph.baseUri() + "/v1.0/$metadata#Collection");
        List<Map<String, Object>> value = new ArrayList<>();
        Round next;
        if (!round.emptySent()) {
            next = new Round(round.subject(), round.collection(), round.link(), round.send(), round.removed(), round.start(), round.pageSize(),
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
                    Map<String, Object> item = items.item(round.send().get(i));
                    if (item != null) { // gone since the round began: the next round says so
                        value.add(select(item, round.start().params().get("$select")));
                    }
                } else {
                    value.add(Map.of("id", round.removed().get(i - round.send().size()), "@removed", Map.of("reason", "deleted")));
                }
            }
            next = to < all ? new Round(round.subject(), round.collection(), round.link(), round.send(), round.removed(), round.start(),
                    round.pageSize(), to, true) : null;
        }
        out.put("value", value);
        if (next != null) {
            String skip = UUID.randomUUID().toString().replace("-", "");
            rounds.put(skip, next);
            out.put("@odata.nextLink", round.link() + "?$skiptoken=" + skip);
        } else {
            String token = UUID.randomUUID().toString().replace("-", "");
            Deque<Map.Entry<String, Snapshot>> held = tokens.computeIfAbsent(subject + "/" + round.collection(), k -> new ArrayDeque<>());
            synchronized (held) {
                held.addLast(Map.entry(token, round.start()));
                while (held.size() > KEPT) {
                    held.removeFirst();
                }
            }
            out.put("@odata.deltaLink", round.link() + "?$deltatoken=" + token);
        }
        return FakeResponse.json(200, Json.write(out));
    }

    private Snapshot held(String subject, String collection, String token) {
        Deque<Map.Entry<String, Snapshot>> held = tokens.get(subject + "/" + collection);
        if (held == null) {
            return null;
        }
        synchronized (held) {
            return held.stream().filter(e -> e.getKey().equals(token)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
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
