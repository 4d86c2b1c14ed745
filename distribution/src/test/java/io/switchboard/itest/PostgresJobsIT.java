package io.switchboard.itest;

import io.switchboard.testkit.db.TestDatabases;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Every jobs test again, on PostgreSQL (SKIP LOCKED polling, LISTEN/NOTIFY wake-ups). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresJobsIT extends JobsIT {
    @Override
    protected TestDatabases.Db database() {
        return TestDatabases.freshPostgres();
    }
}
