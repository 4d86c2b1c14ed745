package io.switchboard.core.identity.internal;

import io.switchboard.core.identity.internal.IdentityEntities.OrganizationEntity;
import io.switchboard.core.identity.internal.IdentityEntities.UserEntity;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of users and organizations, one place for every endpoint. */
final class IdentityViews {
    private IdentityViews() {}

    static Map<String, Object> user(UserEntity u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id);
        m.put("email", u.email);
        m.put("name", u.displayName);
        m.put("organizationId", u.organizationId);
        m.put("createdAt", u.createdAt.toInstant().toString());
        m.put("lastSeenAt", u.lastSeenAt.toInstant().toString());
        return m;
    }

    static Map<String, Object> organization(OrganizationEntity o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id);
        m.put("kind", o.kind);
        m.put("externalId", o.externalId);
        m.put("name", o.name);
        m.put("createdAt", o.createdAt.toInstant().toString());
        return m;
    }

    static Map<String, Object> app(AppRepository.App a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("settings", a.settings());
        m.put("createdAt", a.createdAt().toString());
        m.put("updatedAt", a.updatedAt().toString());
        return m;
    }
}
