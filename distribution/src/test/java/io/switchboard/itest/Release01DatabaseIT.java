package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.Release01Database;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.db.TestDatabases;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A database written by release 0.1 (one {@code schema_history} for every bundle's tables) starts
 * under the layout in which each bundle owns its schema: every schema takes over at a baseline,
 * no script runs twice, and the apps, users, documents, connector settings and accounts it held
 * are all there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Release01DatabaseIT extends SwitchboardTestSupport {
    static final String ADMIN = IdentityIT.ADMIN;

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\n");
    }

    @Override
    protected TestDatabases.Db database() {
        try {
            // a file, not memory: the server's H2 (another class loader) must open the same database
            String file = Files.createTempDirectory("switchboard-0.1-").resolve("switchboard").toString();
            return Release01Database.written(new TestDatabases.Db("jdbc:h2:file:" + file, "sa", ""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void everythingRelease01WroteIsThereAndNoScriptRanTwice() throws Exception {
        Http http = awaitHealthy();
        // each bundle's schema is applied as the bundle starts: wait for the last of them
        String all = "schema versions {config=3, identity=2, jobs=2, linking=3, mailsync=3, store=1, vault=1, webhooks=1}";
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        String detail = "";
        while (!detail.endsWith(all) && System.nanoTime() < deadline) {
            detail = http.get("health").json().path("checks").path("database").path("detail").asText();
            Thread.sleep(50);
        }
        assertThat(detail).endsWith(all);

        Http.Answer app = admin(http, "admin/v1/apps/" + Release01Database.APP);
        assertThat(app.status()).as(app.toString()).isEqualTo(200);
        assertThat(app.json().path("name").asText()).isEqualTo("Written by release 0.1");

        Http.Answer doc = admin(http, "admin/v1/apps/" + Release01Database.APP + "/config/greeting");
        assertThat(doc.status()).as(doc.toString()).isEqualTo(200);
        assertThat(doc.body()).contains("hello from 0.1");
        assertThat(doc.header("ETag")).isEqualTo("\"3\"");

        Http.Answer connectors = admin(http, "admin/v1/apps/" + Release01Database.APP + "/connectors");
        assertThat(connectors.status()).as(connectors.toString()).isEqualTo(200);
        assertThat(connectors.json().path("items").get(0).path("clientId").asText()).isEqualTo("client-0.1");

        Http.Answer accounts = admin(http, "admin/v1/apps/" + Release01Database.APP + "/accounts");
        assertThat(accounts.status()).as(accounts.toString()).isEqualTo(200);
        assertThat(accounts.json().path("items").get(0).path("id").asText()).isEqualTo(Release01Database.ACCOUNT);
        assertThat(accounts.json().path("items").get(0).path("userId").asText()).isEqualTo(Release01Database.USER);

        // release 0.1 left store, identity and linking/vault at their version 1 and config at 2: each history
        // starts at that baseline, and only scripts written since (identity 2, config 3) ran
        Map<String, Integer> baselines = Map.of("store", 1, "identity", 1, "config", 2, "linking", 1, "vault", 1);
        try (Connection c = service(DataSource.class, null).getConnection()) {
            for (Map.Entry<String, Integer> schema : baselines.entrySet()) {
                List<String> rows = new java.util.ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT \"type\", \"version\" FROM \"schema_history_"
                        + schema.getKey() + "\" WHERE \"type\" IN ('BASELINE', 'SQL') ORDER BY \"installed_rank\"")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
                assertThat(rows).as(schema.getKey() + ": taken over at a baseline").first().isEqualTo("BASELINE " + schema.getValue());
                assertThat(rows.subList(1, rows.size())).as(schema.getKey() + ": only scripts newer than release 0.1 ran")
                        .allSatisfy(r -> assertThat(Integer.parseInt(r.substring(4))).isGreaterThan(schema.getValue()));
            }
        }
    }

    private static Http.Answer admin(Http http, String path) {
        return http.send(http.request(path).header("Authorization", "Bearer " + ADMIN).GET().build());
    }
}
