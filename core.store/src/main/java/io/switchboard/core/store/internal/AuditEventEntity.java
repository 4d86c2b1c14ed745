package io.switchboard.core.store.internal;

import io.switchboard.core.store.api.AuditLog.AuditEvent;
import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "audit_event")
public class AuditEventEntity {
    @Id
    @Column(name = "id", length = 36)
    String id;

    @Column(name = "occurred_at", nullable = false)
    Timestamp occurredAt;

    @Column(name = "app_id")
    String appId;

    @Column(name = "actor", nullable = false)
    String actor;

    @Column(name = "action", nullable = false)
    String action;

    @Column(name = "subject")
    String subject;

    @Column(name = "detail")
    String detail;

    AuditEvent toEvent() {
        return new AuditEvent(id, occurredAt.toInstant(), appId, actor, action, subject, detail);
    }
}
