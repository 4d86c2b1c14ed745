package io.switchboard.itest;

import io.switchboard.testkit.db.TestDatabases;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Every webhooks test again, on PostgreSQL (the outbox's runs woken by NOTIFY at the commit). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresWebhooksIT extends WebhooksIT {
    @Override
    protected TestDatabases.Db database() {
        return TestDatabases.freshPostgres();
    }
}
