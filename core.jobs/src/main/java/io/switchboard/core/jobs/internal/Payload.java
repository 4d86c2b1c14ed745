package io.switchboard.core.jobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.jobs.JobRequest;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scheduled run carries in db-scheduler's {@code task_data}, as JSON: what it was
 * scheduled with, its attempt, and whether it waits for its type to be installed.
 *
 * @param every the interval of a recurring run in milliseconds, or {@code null}
 */
record Payload(String type, String key, String app, String account, Map<String, Object> data, int attempt, Long every,
               boolean waitingForType) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Payload of(JobRequest request) {
        return new Payload(request.type(), request.key(), request.app(), request.account(), request.data(), 1,
                request.every() == null ? null : request.every().toMillis(), false);
    }

    /** The run's id: db-scheduler's task instance. */
    String id() {
        return id(type, key);
    }

    static String id(String type, String key) {
        return type + "/" + key;
    }

    Payload attempt(int value) {
        return new Payload(type, key, app, account, data, value, every, false);
    }

    Payload waiting() {
        return new Payload(type, key, app, account, data, attempt, every, true);
    }

    String write() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.put("key", key);
        out.put("app", app);
        out.put("account", account);
        out.put("data", data);
        out.put("attempt", attempt);
        out.put("every", every);
        out.put("waitingForType", waitingForType);
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a job's data must be JSON: " + e.getOriginalMessage());
        }
    }

    static Payload read(String text) {
        try {
            Map<String, Object> in = JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
            Object data = in.get("data");
            Object every = in.get("every");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            return new Payload((String) in.get("type"), (String) in.get("key"), (String) in.get("app"), (String) in.get("account"),
                    map, ((Number) in.getOrDefault("attempt", 1)).intValue(), every == null ? null : ((Number) every).longValue(),
                    Boolean.TRUE.equals(in.get("waitingForType")));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
