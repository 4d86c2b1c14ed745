package io.switchboard.core.store.api;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An append-only record of who did what. Never put a secret (token, password, client secret)
 * in an event: the log is read by operators and developers.
 */
@ProviderType
public interface AuditLog {

    /** Appends an event and returns it with its id and time. */
    AuditEvent record(String appId, String actor, String action, String subject, String detail);

    /** The newest events of an app, newest first. */
    List<AuditEvent> recent(String appId, int limit);

    /**
     * One audit event.
     *
     * @param id unique id
     * @param at when it happened
     * @param appId the app it belongs to, or {@code null} for operator-level events
     * @param actor who did it (a user id, {@code operator}, {@code system})
     * @param action what was done, e.g. {@code app.created}
     * @param subject what it was done to, e.g. an account id
     * @param detail free text without secrets
     */
    record AuditEvent(String id, Instant at, String appId, String actor, String action, String subject, String detail) {}
}
