package io.switchboard.itest;

import io.switchboard.itest.support.Release01Database;
import io.switchboard.testkit.db.TestDatabases;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** {@link Release01DatabaseIT} on PostgreSQL. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresRelease01DatabaseIT extends Release01DatabaseIT {
    @Override
    protected TestDatabases.Db database() {
        return Release01Database.written(TestDatabases.freshPostgres());
    }
}
