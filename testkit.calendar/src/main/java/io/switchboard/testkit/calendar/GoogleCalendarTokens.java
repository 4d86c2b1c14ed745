package io.switchboard.testkit.calendar;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.gmail.FakeGmail;
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
 * Google Calendar's sync tokens for {@link FakeGoogleCalendar}: the last page of a listing carries
 * a {@code nextSyncToken} (the calendar as it was when the listing began); {@code events.list}
 * with {@code syncToken} lists every event changed since (a deleted one as it is kept,
 * {@code status: cancelled}), pages with {@code nextPageToken} and the {@code nextSyncToken} only
 * on the last; a sync token with {@code timeMin}, {@code timeMax}, {@code orderBy}, {@code q} or
 * {@code updatedMin} is 400; one the service no longer holds (the last eight of a user are kept,
 * or all forgotten by {@link FakeGmail#forgetSyncTokens}) is 410 {@code fullSyncRequired}.
 */
final class GoogleCalendarTokens {
    private static final int KEPT = 8;
    private static final List<String> NOT_WITH_SYNC = List.of("timeMin", "timeMax", "orderBy", "q", "updatedMin", "iCalUID");

    /** Per subject, the calendars as they were under each token still held: event id to its JSON. */
    private final Map<String, Deque<Map.Entry<String, Map<String, String>>>> held = new ConcurrentHashMap<>();
    /** Snapshots taken at a listing's first page, given out as tokens on its last. */
    private final Map<String, Map<String, String>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> pages = new ConcurrentHashMap<>();
    private final Map<String, String> pageTokens = new ConcurrentHashMap<>();

    /** The calendar now, to be given out as a token when the listing that starts now ends. */
    String begin(List<Map<String, Object>> events) {
        String id = UUID.randomUUID().toString().replace("-", "");
        pending.put(id, snapshot(events));
        return id;
    }

    /** The listing {@code begin} started has ended: its snapshot becomes a sync token. */
    String end(String subject, String listing) {
        Map<String, String> snapshot = pending.remove(listing);
        if (snapshot == null) {
            return null;
        }
        String token = "CP" + UUID.randomUUID().toString().replace("-", "") + "GAU=";
        Deque<Map.Entry<String, Map<String, String>>> kept = held.computeIfAbsent(subject, s -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(Map.entry(token, snapshot));
            while (kept.size() > KEPT) {
                kept.removeFirst();
            }
        }
        return token;
    }

    void forget(String subject) {
        held.remove(subject);
    }

    /** {@code events.list} with a {@code syncToken} (or the {@code pageToken} of such a listing). */
    FakeResponse changes(FakeRequest req, String subject, List<Map<String, Object>> events) {
        Map<String, String> q = req.queryParams();
        if (NOT_WITH_SYNC.stream().anyMatch(q::containsKey)) {
            return FakeGmail.error(400, "INVALID_ARGUMENT", "Sync token cannot be used with the given parameters.", "invalid",
                    "Sync token cannot be used with the given parameters.");
        }
        int max = q.containsKey("maxResults") ? Math.min(2500, Integer.parseInt(q.get("maxResults"))) : 250;
        List<Map<String, Object>> changed;
        String listing;
        if (q.containsKey("pageToken")) {
            changed = pages.remove(q.get("pageToken"));
            listing = pageTokens.remove(q.get("pageToken"));
            if (changed == null || listing == null) {
                return FakeGmail.error(400, "INVALID_ARGUMENT", "Invalid page token", "invalid", "Invalid page token");
            }
        } else {
            Map<String, String> before = held(subject, q.get("syncToken"));
            if (before == null) {
                return FakeGmail.error(410, "GONE", "Sync token is no longer valid, a full sync is required.", "fullSyncRequired",
                        "Sync token is no longer valid, a full sync is required.");
            }
            changed = events.stream().filter(e -> !JSONObjectUtils.toJSONString(e).equals(before.get(String.valueOf(e.get("id"))))).toList();
            changed = changed.stream().filter(e -> before.containsKey(String.valueOf(e.get("id"))) || !"cancelled".equals(e.get("status")))
                    .toList();
            listing = begin(events);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "calendar#events");
        out.put("timeZone", "Europe/Berlin");
        out.put("items", List.copyOf(changed.subList(0, Math.min(max, changed.size()))));
        if (changed.size() > max) {
            String token = UUID.randomUUID().toString();
            pages.put(token, new ArrayList<>(changed.subList(max, changed.size())));
            pageTokens.put(token, listing);
            out.put("nextPageToken", token);
        } else {
            out.put("nextSyncToken", end(subject, listing));
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(out));
    }

    private Map<String, String> held(String subject, String token) {
        Deque<Map.Entry<String, Map<String, String>>> kept = held.get(subject);
        if (kept == null) {
            return null;
        }
        synchronized (kept) {
            return kept.stream().filter(e -> e.getKey().equals(token)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    private static Map<String, String> snapshot(List<Map<String, Object>> events) {
        Map<String, String> out = new LinkedHashMap<>();
        events.forEach(e -> out.put(String.valueOf(e.get("id")), JSONObjectUtils.toJSONString(e)));
        return out;
    }
}
