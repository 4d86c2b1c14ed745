package io.switchboard.core.linking.internal;

import io.switchboard.core.api.util.Digests;
import io.switchboard.core.linking.internal.LinkingEntities.FlowEntity;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;

/**
 * Counts password-form submissions in the flows' rows, so the limits hold across instances: a
 * flow closes after its last allowed try, and a user's tries over the last hour are the sum over
 * their flows (kept until an hour after they expire).
 */
final class PasswordAttempts {
    private final Store store;
    private final EntityManagerFactory unit;
    private final int perFlow;
    private final int perUserHour;
    private final Supplier<Instant> clock;

    PasswordAttempts(Store store, EntityManagerFactory unit, int perFlow, int perUserHour, Supplier<Instant> clock) {
        this.store = store;
        this.unit = unit;
        this.perFlow = Math.max(1, perFlow);
        this.perUserHour = Math.max(1, perUserHour);
        this.clock = clock;
    }

    /** Whether a user may try once more: fewer password submissions than allowed over the last hour. */
    boolean userMayTry(String appId, String userId) {
        Timestamp since = Timestamp.from(clock.get().minus(Duration.ofHours(1)));
        return store.transaction(unit, em -> em.createQuery("SELECT COALESCE(SUM(f.attempts), 0) FROM ConnectFlow f "
                + "WHERE f.appId = :app AND f.userId = :user AND f.expiresAt > :since", Number.class)
                .setParameter("app", appId).setParameter("user", userId).setParameter("since", since)
                .getSingleResult().longValue()) < perUserHour;
    }

    /**
     * Ends a submission of the flow: with {@code tried} (the password went to the instance) it
     * counts; with {@code retry}, the flow reopens for another unless that was its last allowed try.
     * A form the user can correct before anything was sent (a bad instance URL, an empty field)
     * does not count.
     *
     * @return whether the flow is open for another try
     */
    boolean count(String state, boolean retry, boolean tried) {
        return store.transaction(unit, em -> {
            FlowEntity f = em.find(FlowEntity.class, Digests.sha256Hex(state), LockModeType.PESSIMISTIC_WRITE);
            if (f == null) {
                return false;
            }
            if (tried) {
                f.attempts++;
            }
            boolean open = retry && f.attempts < perFlow;
            if (open) {
                f.usedAt = null;
            }
            return open;
        });
    }
}
