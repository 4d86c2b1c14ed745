package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.store.api.Store;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.db.TestDatabases;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The same runtime on PostgreSQL (SWITCHBOARD_TEST_DB_URL, else an embedded server): migrations
 * applied, health reports PostgreSQL, JPA round trip through the store.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresRuntimeIT extends SwitchboardTestSupport {

    @Override
    protected TestDatabases.Db database() {
        return TestDatabases.freshPostgres();
    }

    @Test
    public void healthReportsPostgres() {
        Http http = awaitHealthy();
        assertThat(http.get("health").json().path("checks").path("database").path("detail").asText())
                .startsWith("postgresql, schema version");
        assertThat(service(Store.class, null).dialect()).isEqualTo(Store.Dialect.POSTGRESQL);
    }

    @Test
    public void jpaPersistsOnPostgres() {
        awaitHealthy();
        AuditLog audit = service(AuditLog.class, null);
        AuditLog.AuditEvent first = audit.record("app-pg", "operator", "itest.first", "s", null);
        AuditLog.AuditEvent second = audit.record("app-pg", "operator", "itest.second", "s", "d".repeat(3000));
        assertThat(audit.recent("app-pg", 10)).extracting(AuditLog.AuditEvent::id).containsExactly(second.id(), first.id());
        assertThat(audit.recent("app-pg", 10).get(0).detail()).hasSize(2000);
    }
}
