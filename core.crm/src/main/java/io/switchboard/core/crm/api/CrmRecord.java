package io.switchboard.core.crm.api;

import java.util.Map;

/**
 * A unified record: the CRM's own {@code id}, the unified {@code fields} of its type (see
 * {@link CrmFields}), and {@code remote}, the provider's raw record (answered on request).
 */
public record CrmRecord(String id, CrmObject type, Map<String, Object> fields, Map<String, Object> remote) {
    public CrmRecord {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        remote = remote == null ? Map.of() : remote;
    }
}
