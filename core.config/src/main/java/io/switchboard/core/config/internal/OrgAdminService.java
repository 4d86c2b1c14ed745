package io.switchboard.core.config.internal;

import io.switchboard.core.api.util.Ids;
import io.switchboard.core.config.internal.ConfigEntities.OrgAdminEntity;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Instant;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The users an app's operator made administrators of their organization's configuration: they
 * may write and lock the organization's documents.
 */
@Component(service = OrgAdminService.class)
public class OrgAdminService {
    private final Store store;
    private final EntityManagerFactory unit;
    private final AuditLog audit;

    @Activate
    public OrgAdminService(@Reference Store store, @Reference(target = "(osgi.unit.name=switchboard.config)") EntityManagerFactory unit,
                           @Reference AuditLog audit) {
        this.store = store;
        this.unit = unit;
        this.audit = audit;
    }

    boolean isAdmin(String appId, String organizationId, String userId) {
        if (organizationId == null) {
            return false;
        }
        return store.transaction(unit, em -> !em.createQuery(
                "SELECT a.id FROM OrgAdmin a WHERE a.appId = :app AND a.organizationId = :org AND a.userId = :user", String.class)
                .setParameter("app", appId).setParameter("org", organizationId).setParameter("user", userId)
                .setMaxResults(1).getResultList().isEmpty());
    }

    void grant(String appId, String organizationId, String userId) {
        if (isAdmin(appId, organizationId, userId)) {
            return;
        }
        store.run(unit, em -> {
            OrgAdminEntity grant = new OrgAdminEntity();
            grant.id = Ids.uuid();
            grant.appId = appId;
            grant.organizationId = organizationId;
            grant.userId = userId;
            grant.createdAt = Timestamp.from(Instant.now());
            em.persist(grant);
        });
        audit.record(appId, "operator", "config.org-admin-granted", organizationId + "/" + userId, null);
    }

    boolean revoke(String appId, String organizationId, String userId) {
        int removed = store.transaction(unit, em -> em.createQuery(
                "DELETE FROM OrgAdmin a WHERE a.appId = :app AND a.organizationId = :org AND a.userId = :user")
                .setParameter("app", appId).setParameter("org", organizationId).setParameter("user", userId).executeUpdate());
        return removed > 0;
    }
}
