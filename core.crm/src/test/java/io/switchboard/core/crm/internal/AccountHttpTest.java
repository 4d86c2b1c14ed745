package io.switchboard.core.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.crm.api.CrmException;
import io.switchboard.core.crm.api.CrmObject;
import io.switchboard.core.crm.api.CrmRecord;
import io.switchboard.core.crm.api.CrmShape;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CRM engine reads records and refusals as a connector's shape declares them. */
class AccountHttpTest {
    /** Only the JSON of an account's calls: the engine's reading is under test, not the calls. */
    private static final AccountCalls JSON_ONLY = new AccountCalls() {
        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        public Streamed open(String method, String pathAndQuery, Map<String, String> headers) {
            throw new UnsupportedOperationException();
        }


        @Override

        public Upstream.Response upload(String method, String pathAndQuery, Map<String, String> headers, java.io.InputStream content,

                                        long length) {

            throw new UnsupportedOperationException();

        }


        @Override

        public Upstream.Response sendTo(String url, String method, Map<String, String> headers, byte[] content) {

            throw new UnsupportedOperationException();

        }

        @Override
        public String baseUrl() {
            return "https://crm.example";
        }

        @Override
        public Upstream.Response send(String method, String pathAndQuery, Map<String, String> headers, String body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> parseObject(String json) throws IOException {
            return mapper.readValue(json, new TypeReference<Map<String, Object>>() {});
        }

        @Override
        public Object parse(String json) throws IOException {
            return mapper.readValue(json, Object.class);
        }

        @Override
        public String write(Object value) throws IOException {
            return mapper.writeValueAsString(value);
        }
    };
    private static final Map<CrmObject, CrmShape.Table> TABLES = CrmShape.tables(AccountHttpTest.class, "test-tables.properties");
    /** Salesforce-like: errors are arrays, fields are the record's own members. */
    private final AccountHttp arrays = new AccountHttp(JSON_ONLY, new CrmShape(TABLES, "Id", "records", null, false,
            new CrmShape.Errors(true, "errorCode", "message", Set.of("NOT_FOUND"), Set.of("REQUEST_LIMIT_EXCEEDED"), null,
                    Duration.ofSeconds(60))));
    /** HubSpot-like: fields under "properties", written as strings, the wait in a header. */
    private final AccountHttp nested = new AccountHttp(JSON_ONLY, new CrmShape(TABLES, "id", "results", "properties", true,
            new CrmShape.Errors(false, "category", "message", Set.of(), Set.of(), "X-Wait-Ms", Duration.ofSeconds(10))));

    @Test
    void tablesAreDataBesideTheConnectorsClass() {
        assertThat(TABLES).containsOnlyKeys(CrmObject.CONTACTS, CrmObject.NOTES);
        assertThat(TABLES.get(CrmObject.CONTACTS).remoteName()).isEqualTo("people");
        assertThat(TABLES.get(CrmObject.CONTACTS).fields()).containsExactly(Map.entry("firstName", "given"), Map.entry("email", "mail"));
        assertThatThrownBy(() -> CrmShape.tables(AccountHttpTest.class, "missing.properties")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusalsAreClassifiedByTheProvidersCodeThenByStatus() {
        CrmException notFound = refusal(arrays, 400, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"gone\"}]", Map.of());
        assertThat(notFound.kind()).isEqualTo(CrmException.Kind.NOT_FOUND);
        assertThat(notFound.getMessage()).isEqualTo("NOT_FOUND: gone");
        CrmException limited = refusal(arrays, 403, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}]", Map.of());
        assertThat(limited.kind()).isEqualTo(CrmException.Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        CrmException header = refusal(nested, 429, "{\"category\":\"RATE_LIMITS\",\"message\":\"ten seconds\"}",
                Map.of("X-Wait-Ms", List.of("2500")));
        assertThat(header.kind()).isEqualTo(CrmException.Kind.RATE_LIMITED);
        assertThat(header.retryAfter()).isEqualTo(Duration.ofMillis(2500));
        CrmException garbage = refusal(nested, 502, "<html>bad gateway</html>", Map.of());
        assertThat(garbage.kind()).isEqualTo(CrmException.Kind.UPSTREAM);
        assertThat(garbage.getMessage()).isEqualTo("HTTP 502");
        assertThat(refusal(nested, 400, "{\"category\":\"VALIDATION_ERROR\",\"message\":\"bad email\"}", Map.of()).kind())
                .isEqualTo(CrmException.Kind.VALIDATION);
    }

    @Test
    void recordsAreReadWhereTheShapeSaysAndWrittenAsItWants() throws Exception {
        Map<String, Object> remote = Map.of("id", "7", "properties", Map.of("given", "Ada", "mail", "ada@example.com", "other", "x"));
        CrmRecord record = nested.records(CrmObject.CONTACTS, Map.of("results", List.of(remote, "not an object"))).get(0);
        assertThat(record.id()).isEqualTo("7");
        assertThat(record.fields()).containsExactly(Map.entry("firstName", "Ada"), Map.entry("email", "ada@example.com"));
        assertThat(arrays.record(CrmObject.CONTACTS, Map.of("Id", "003", "given", "Grace")).fields())
                .containsEntry("firstName", "Grace").containsEntry("email", null);
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("firstName", 42);
        unified.put("unknown", "dropped");
        assertThat(nested.toRemote(CrmObject.CONTACTS, unified)).containsExactly(Map.entry("given", "42"));
        assertThat(arrays.toRemote(CrmObject.CONTACTS, unified)).containsExactly(Map.entry("given", 42));
        assertThatThrownBy(() -> arrays.table(CrmObject.LEADS)).isInstanceOf(CrmException.class)
                .satisfies(e -> assertThat(((CrmException) e).kind()).isEqualTo(CrmException.Kind.NOT_SUPPORTED));
    }

    private static CrmException refusal(AccountHttp http, int status, String body, Map<String, List<String>> headers) {
        try {
            http.object(new Upstream.Response(status, headers, body));
        } catch (CrmException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no refusal");
    }
}
