package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.itest.support.Http;
import io.switchboard.testkit.crm.FakeSugarCrm;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * S16 with the production default (no {@code allow.private.addresses} anywhere): a SugarCRM
 * instance URL typed into the linking form that points at loopback, private, link-local,
 * IPv4-mapped or unspecified addresses, or that is not https, is refused before any connection.
 * The Sugar fake runs on loopback, so it must see no request at all.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AddressSafetyIT extends ConnectorTestSupport {

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\nallow.insecure.issuers=true\n");
    }

    @Test
    public void aSugarInstanceUrlInPrivateAddressSpaceIsRefusedBeforeAnyConnection() throws Exception {
        Http http = awaitHealthy();
        try (FakeEntraId entra = new FakeEntraId(); FakeSugarCrm sugar = new FakeSugarCrm()) {
            String password = "pw-" + UUID.randomUUID();
            sugar.user("eve", password);
            String session = appWith(http, entra, "sugarcrm", "sugar", "").session();
            Http.Answer form = http.get("v1/connect/sugarcrm/start?ticket=" + ticket(http, session, "sugarcrm"));
            assertThat(form.status()).as(form.toString()).isEqualTo(200);
            Matcher state = LinkingIT.STATE_FIELD.matcher(form.body());
            assertThat(state.find()).isTrue();
            String cookie = form.header("Set-Cookie").split(";")[0];
            int port = java.net.URI.create(sugar.instanceUrl()).getPort();
            List<String> hostile = List.of(
                    sugar.instanceUrl(),                              // the fake itself: http on loopback
                    "https://127.0.0.1:" + port,                      // loopback
                    "https://localhost:" + port,                      // a name resolving to loopback
                    "https://[::1]:" + port,                          // IPv6 loopback
                    "https://[::ffff:127.0.0.1]:" + port,             // IPv4-mapped loopback
                    "https://[::ffff:a9fe:a9fe]",                     // IPv4-mapped link-local (169.254.169.254)
                    "https://169.254.169.254",                        // cloud metadata, link-local
                    "https://10.1.2.3", "https://172.16.0.1", "https://192.168.1.1", // private
                    "https://100.64.0.1",                             // carrier-grade NAT
                    "https://0.0.0.0:" + port,                        // unspecified
                    "https://[fd00::1]", "https://[fe80::1]",         // IPv6 unique-local and link-local
                    "https://2130706433:" + port,                     // 127.0.0.1 as one decimal number
                    "https://sugar.example@127.0.0.1:" + port,        // user info hiding the host
                    "file:///etc/passwd", "ftp://sugar.example");
            for (String instance : hostile) {
                String body = "state=" + enc(state.group(1)) + "&instance=" + enc(instance) + "&username=eve&password=" + enc(password);
                Http.Answer answer = http.send(http.request("v1/connect/sugarcrm/password").header("Content-Type",
                        "application/x-www-form-urlencoded").header("Cookie", cookie).POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertThat(answer.status()).as(instance + ": " + answer).isEqualTo(400);
                assertThat(answer.body()).as(instance).contains("name=\"instance\"").doesNotContain("\"accountId\"")
                        .doesNotContain(password);
            }
            assertThat(sugar.requests()).as("no connection to the loopback instance").isEmpty();
            assertThat(sugar.presentedPasswords()).isEmpty();
            assertThat(http.send(http.request("v1/accounts").header("Authorization", "Bearer " + session).GET().build()).json()
                    .path("items")).isEmpty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
