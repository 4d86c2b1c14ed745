package io.switchboard.core.outbound.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/** The JSON reader and writer of provider answers and token requests. */
final class ProviderJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ProviderJson() {}

    static Map<String, Object> object(String json) throws IOException {
        if (json == null || json.isBlank()) {
            throw new IOException("empty response body");
        }
        return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    static Object any(String json) throws IOException {
        return MAPPER.readValue(json, Object.class);
    }

    static String write(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }
}
