package io.switchboard.core.api.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the table at the heart of every CRM connector: unified field name → the
 * provider's field name.
 */
public final class CrmMappings {
    private CrmMappings() {}

    /** An ordered mapping from pairs: {@code "firstName", "FirstName", "lastName", "LastName", ...}. */
    public static Map<String, String> pairs(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs come in twos");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The provider's fields for the unified ones given (names without a mapping are left out). */
    public static Map<String, Object> toRemote(Map<String, String> mapping, Map<String, Object> unified) {
        Map<String, Object> out = new LinkedHashMap<>();
        unified.forEach((name, value) -> {
            String remote = mapping.get(name);
            if (remote != null) {
                out.put(remote, value);
            }
        });
        return out;
    }

    /** The unified fields of a provider's record (every mapped name, {@code null} where the record has none). */
    public static Map<String, Object> fromRemote(Map<String, String> mapping, Map<String, ?> remote) {
        Map<String, Object> fields = new LinkedHashMap<>();
        mapping.forEach((name, remoteName) -> fields.putIfAbsent(name, remote.get(remoteName)));
        return fields;
    }

    /** The JSON objects in a JSON array value (anything else is skipped). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object array) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (array instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }
}
