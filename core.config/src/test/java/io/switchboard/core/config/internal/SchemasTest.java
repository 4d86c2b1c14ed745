package io.switchboard.core.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** Issue 18 item 2: compiling an app's schema never opens a connection, whatever IRI it names. */
class SchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a fetch would hang on the silent listener
    void aNestedSchemaIriIsRefusedWithoutAnyConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(500);
            String iri = "http://127.0.0.1:" + listener.getLocalPort() + "/x";
            for (String schema : new String[] {
                    "{\"properties\":{\"x\":{\"$schema\":\"" + iri + "\"}}}",
                    "{\"$defs\":{\"a\":{\"$schema\":\"" + iri + "\",\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/a\"}}}"}) {
                long started = System.nanoTime();
                try {
                    Schemas.compile(JSON.readTree(schema));
                } catch (ProblemException refused) {
                    assertThat(refused.status()).isEqualTo(400);
                }
                assertThat((System.nanoTime() - started) / 1_000_000).as("no wait on the network").isLessThan(5_000);
            }
            assertThatThrownBy(listener::accept).as("no connection reached the listener").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theStandardDraftsStillCompileAndValidateOffline() throws Exception {
        for (String draft : new String[] {"https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2019-09/schema",
                "http://json-schema.org/draft-07/schema#"}) {
            var schema = Schemas.compile(JSON.readTree("{\"$schema\":\"" + draft + "\",\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}"));
            Schemas.validate(schema, JSON.readTree("{\"n\":1}"), "k");
            assertThatThrownBy(() -> Schemas.validate(schema, JSON.readTree("{\"n\":\"one\"}"), "k")).as(draft)
                    .isInstanceOf(ProblemException.class);
        }
    }

    /** Issue 18 item 6: {"$ref":"#"} was accepted and then answered every write with 500 and a StackOverflowError. */
    @Test
    void aSchemaThatLoopsIsRefusedWhenSavedAndRecursionThatDescendsStillWorks() throws Exception {
        for (String looping : new String[] {"{\"$ref\":\"#\"}", "{\"allOf\":[{\"$ref\":\"#\"}]}",
                "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}",
                "{\"anyOf\":[{\"type\":\"string\"},{\"$ref\":\"#\"}]}"}) {
            assertThatThrownBy(() -> Schemas.compile(JSON.readTree(looping))).as(looping).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
        }
        var tree = Schemas.compile(JSON.readTree("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}}}"));
        Schemas.validate(tree, JSON.readTree("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}"), "k");
        assertThatThrownBy(() -> Schemas.validate(tree, JSON.readTree("{\"children\":[{\"name\":1}]}"), "k"))
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(422));
    }

    @Test
    void aStoredSchemaThatLoopsOnlyForSomeDocumentsAnswersAProblemNotA500() throws Exception {
        // Loops only when "a" is an object; the probes on saving do not reach it, the write path must answer anyway.
        var partial = Schemas.compile(JSON.readTree("{\"properties\":{\"a\":{\"if\":{\"type\":\"object\"},\"then\":{\"$ref\":\"#/properties/a\"}}}}"));
        assertThatThrownBy(() -> Schemas.validate(partial, JSON.readTree("{\"a\":{}}"), "k"))
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(409))
                .satisfies(e -> assertThat(((ProblemException) e).slug()).isEqualTo("schema-unusable"));
        Schemas.validate(partial, JSON.readTree("{\"a\":1}"), "k");
    }
}
