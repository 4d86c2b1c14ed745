package io.switchboard.itest;

import io.switchboard.testkit.db.TestDatabases;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Every sync test again, on PostgreSQL. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresMailSyncIT extends MailSyncIT {
    @Override
    protected TestDatabases.Db database() {
        return TestDatabases.freshPostgres();
    }
}
