package io.switchboard.core.identity.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.switchboard.core.api.ProblemException;
import java.util.List;
import java.util.Map;

/** Reading request bodies: our own mapper, strict about unknown fields, errors as 400 problems. */
final class RequestJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RequestJson() {}

    static String text(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProblemException(400, "validation", "Bad Request", field + " must be a string");
        }
        return value.asText();
    }

    static AppSettings settings(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return MAPPER.treeToValue(node, AppSettings.class);
        } catch (UnrecognizedPropertyException e) {
            String path = e.getPathReference().replaceAll("io\\.switchboard[^\\[]*", "settings");
            String message = "unknown field '" + e.getPropertyName() + "' at " + path;
            throw new ProblemException(400, "validation", "Invalid app settings", message, Map.of("errors", List.of(message)));
        } catch (java.io.IOException | IllegalArgumentException e) {
            String message = "settings do not have the expected shape";
            throw new ProblemException(400, "validation", "Invalid app settings", message, Map.of("errors", List.of(message)));
        }
    }
}
