package io.switchboard.itest;

import io.switchboard.testkit.db.TestDatabases;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Every mailbox journey again, on PostgreSQL. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresMailboxIT extends MailboxIT {
    @Override
    protected TestDatabases.Db database() {
        return TestDatabases.freshPostgres();
    }
}
