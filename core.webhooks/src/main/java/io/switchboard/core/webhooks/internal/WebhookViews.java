package io.switchboard.core.webhooks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Endpoints, deliveries and attempts as the API shows them: never a secret. */
final class WebhookViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookViews() {}

    static Map<String, Object> endpoint(WebhookRows.Endpoint e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("url", e.url());
        out.put("events", e.eventTypes());
        out.put("description", e.description());
        out.put("enabled", e.enabled());
        out.put("disabledReason", e.disabledReason());
        out.put("failingSince", e.failingSince() == null ? null : e.failingSince().toString());
        out.put("previousSecretUntil", e.previousUntil() == null ? null : e.previousUntil().toString());
        out.put("createdAt", e.createdAt().toString());
        return out;
    }

    /** An event as sent: its id (the deliveries' {@code webhook-id}) and its body. */
    static Map<String, Object> event(WebhookRows.Event e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("type", e.type());
        out.put("createdAt", e.createdAt().toString());
        try {
            out.put("body", JSON.readTree(e.body()));
        } catch (JsonProcessingException unreadable) {
            out.put("body", e.body());
        }
        return out;
    }

    static Map<String, Object> delivery(WebhookRows.Delivery d, List<WebhookRows.Attempt> attempts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("eventId", d.eventId());
        out.put("state", d.state());
        out.put("attempts", d.attempts());
        out.put("lastStatus", d.lastStatus());
        out.put("lastError", d.lastError());
        out.put("createdAt", d.createdAt().toString());
        out.put("updatedAt", d.updatedAt().toString());
        if (attempts != null) {
            out.put("log", attempts.stream().map(a -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("attempt", a.attempt());
                row.put("at", a.at().toString());
                row.put("status", a.status());
                row.put("latencyMs", a.latencyMs());
                row.put("response", a.response());
                row.put("error", a.error());
                return row;
            }).toList());
        }
        return out;
    }
}
