package io.switchboard.core.store.internal;

import io.switchboard.core.store.api.Store;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;

/** Resource-local transactions; a nested call with the same unit on the same thread joins the outer one. */
final class JpaStore implements Store {
    private static final ThreadLocal<Map<EntityManagerFactory, EntityManager>> CURRENT =
            ThreadLocal.withInitial(IdentityHashMap::new);

    private final Dialect dialect;

    JpaStore(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public <T> T transaction(EntityManagerFactory unit, Function<EntityManager, T> work) {
        Map<EntityManagerFactory, EntityManager> open = CURRENT.get();
        EntityManager joined = open.get(unit);
        if (joined != null) {
            return work.apply(joined);
        }
        EntityManager em = unit.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        open.put(unit, em);
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            if (tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        } finally {
            open.remove(unit);
            em.close();
        }
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }
}
