package io.switchboard.core.store.api;

import java.util.function.Consumer;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Transactions for the core bundles. The service is registered only once the database schema is
 * migrated, so a component that requires it never sees an old schema.
 *
 * <p>Each bundle passes its own {@link EntityManagerFactory} (the service Aries JPA registers for
 * its persistence unit, {@code osgi.unit.name=...}). A nested call on the same thread with the
 * same factory joins the running transaction.
 */
@ProviderType
public interface Store {

    /** The name under which the Switchboard DataSource is registered ({@code osgi.jndi.service.name}). */
    String DATA_SOURCE_NAME = "switchboard";

    /**
     * The DataSource's service property listing the schemas in place. A bundle owns its tables
     * through its manifest header {@code Switchboard-Schema: <name>[;requires="<name> ..."]} and
     * its scripts in {@code db/schema/<name>/}; its persistence unit waits for them with the
     * data source {@code osgi:service/javax.sql.DataSource/(&(osgi.jndi.service.name=switchboard)(switchboard.schemas=<name>))}.
     */
    String SCHEMAS_PROPERTY = "switchboard.schemas";

    /**
     * Runs {@code work} in a transaction and commits it; any exception rolls it back and is
     * rethrown unchanged.
     */
    <T> T transaction(EntityManagerFactory unit, Function<EntityManager, T> work);

    /** Like {@link #transaction(EntityManagerFactory, Function)} with no result. */
    default void run(EntityManagerFactory unit, Consumer<EntityManager> work) {
        transaction(unit, em -> {
            work.accept(em);
            return null;
        });
    }

    /** The kind of database in use, for the few places where SQL differs. */
    Dialect dialect();

    /** The databases Switchboard runs on. */
    enum Dialect {
        H2,
        POSTGRESQL
    }
}
