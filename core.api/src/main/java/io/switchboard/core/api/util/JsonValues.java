package io.switchboard.core.api.util;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading a provider's parsed JSON (maps, lists, strings, numbers) without casts at every step. */
public final class JsonValues {
    private JsonValues() {
    }

    /** The JSON objects of an array value (other elements skipped), or an empty list when it is not an array. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    /** A value as text, or {@code null} for none. */
    public static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    /** A number as an int, or {@code null} when it is not a number. */
    public static Integer integer(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }
}
