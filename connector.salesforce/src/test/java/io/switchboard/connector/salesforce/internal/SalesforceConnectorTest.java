package io.switchboard.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceConnectorTest {
    private static final ConnectorSettings APP = new ConnectorSettings("cid", "client-secret", List.of(), Map.of());
    private final SalesforceConnector connector = new SalesforceConnector(config());

    private static Map<String, Object> response(String instance, String id) throws IOException {
        Map<String, Object> r = new HashMap<>();
        r.put("access_token", "00Dxx!token");
        r.put("refresh_token", "5Aep-refresh");
        r.put("instance_url", instance);
        r.put("id", id);
        r.put("issued_at", "1764320000000");
        r.put("signature", SalesforceConnector.hmac("client-secret", id + "1764320000000"));
        r.put("token_type", "Bearer");
        return r;
    }

    @Test
    void readsATokenResponseWithoutExpiryAndChecksItsSignature() throws Exception {
        Map<String, Object> ok = response("https://na1.my.salesforce.com", "https://login.salesforce.com/id/00D000000000001/005000000000001");
        TokenSet tokens = connector.readTokens(ok, APP, Instant.now());
        assertThat(tokens.expiresAt()).as("a 401 is the signal to refresh").isNull();
        assertThat(tokens.attributes()).containsEntry("instance_url", "https://na1.my.salesforce.com").doesNotContainKey("signature");

        Map<String, Object> forged = new HashMap<>(ok);
        forged.put("signature", SalesforceConnector.hmac("another-secret", ok.get("id") + "1764320000000"));
        assertThatThrownBy(() -> connector.readTokens(forged, APP, Instant.now())).hasMessageContaining("signature");
        Map<String, Object> unsigned = new HashMap<>(ok);
        unsigned.remove("signature"); // issue 17: accepted before
        assertThatThrownBy(() -> connector.readTokens(unsigned, APP, Instant.now())).hasMessageContaining("signature");
    }

    @Test
    void refusesInstanceAndIdentityUrlsOutsideSalesforce() throws Exception {
        String id = "https://login.salesforce.com/id/00D/005";
        for (String instance : new String[] {"http://na1.salesforce.com", "https://evil.example", "https://salesforce.com.evil.example",
                "https://10.0.0.1", "https://169.254.169.254", "https://user@na1.salesforce.com", "not a url"}) {
            assertThatThrownBy(() -> connector.readTokens(response(instance, id), APP, Instant.now())).as(instance)
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> connector.readTokens(response("https://na1.my.salesforce.com", "https://127.0.0.1/id/x/y"), APP,
                Instant.now())).isInstanceOf(IOException.class);
    }

    @Test
    void endpointsFollowTheLoginHost() {
        assertThat(connector.auth().tokenUrl()).isEqualTo("https://{login.host}/services/oauth2/token");
        assertThat(connector.auth().defaults()).containsEntry("login.host", "login.salesforce.com");
        assertThat(connector.auth().defaultLifetime()).isNull();
    }

    private static SalesforceConfig config() {
        return new SalesforceConfig() {
            @Override public Class<? extends Annotation> annotationType() { return SalesforceConfig.class; }
            @Override public String api_version() { return "v60.0"; }
            @Override public String login_host() { return "login.salesforce.com"; }
            @Override public String login_url() { return ""; }
            @Override public String[] instance_host_suffixes() { return new String[] {".salesforce.com", ".force.com"}; }
            @Override public String[] trusted_test_hosts() { return new String[0]; }
            @Override public String[] scopes() { return new String[] {"api", "refresh_token"}; }
        };
    }
}
