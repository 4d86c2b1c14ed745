package io.switchboard.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** JSON Merge Patch (RFC 7396), and the overlay of documents with locked members. */
final class MergePatch {
    private MergePatch() {}

    /** Applies {@code patch} to {@code target} (neither is modified) and returns the result. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }

    /** {@code document} without the top-level members named in {@code locked}. */
    static ObjectNode without(JsonNode document, Set<String> locked) {
        ObjectNode copy = document != null && document.isObject() ? ((ObjectNode) document).deepCopy() : JsonNodeFactory.instance.objectNode();
        copy.remove(locked);
        return copy;
    }
}
