package io.switchboard.core.store.internal;

import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = AuditLog.class)
public class JpaAuditLog implements AuditLog {
    static final String UNIT = "switchboard.store";
    private static final int MAX_DETAIL = 2000;

    private final Store store;
    private final EntityManagerFactory unit;

    @Activate
    public JpaAuditLog(
            @Reference Store store,
            @Reference(target = "(osgi.unit.name=" + UNIT + ")") EntityManagerFactory unit) {
        this.store = store;
        this.unit = unit;
    }

    @Override
    public AuditEvent record(String appId, String actor, String action, String subject, String detail) {
        AuditEventEntity e = new AuditEventEntity();
        e.id = io.switchboard.core.api.util.Ids.uuid();
        e.occurredAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        e.appId = appId;
        e.actor = actor;
        e.action = action;
        e.subject = subject;
        e.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        store.run(unit, em -> em.persist(e));
        return e.toEvent();
    }

    @Override
    public List<AuditEvent> recent(String appId, int limit) {
        return store.transaction(unit, em -> em.createQuery(
                                "SELECT e FROM AuditEventEntity e WHERE e.appId = :app ORDER BY e.occurredAt DESC",
                                AuditEventEntity.class)
                        .setParameter("app", appId)
                        .setMaxResults(Math.max(1, Math.min(limit, 1000)))
                        .getResultList()
                        .stream()
                        .map(AuditEventEntity::toEvent)
                        .toList());
    }
}
