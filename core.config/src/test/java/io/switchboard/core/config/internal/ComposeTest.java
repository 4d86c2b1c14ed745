package io.switchboard.core.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The effective document in every combination of present documents and locks. */
class ComposeTest {
    static final JsonNode APP = json("{\"a\":\"app\",\"b\":\"app\",\"c\":\"app\",\"n\":{\"x\":1,\"y\":1}}");
    static final JsonNode ORG = json("{\"a\":\"org\",\"b\":\"org\",\"n\":{\"y\":2}}");
    static final JsonNode USER = json("{\"a\":\"user\",\"b\":\"user\",\"c\":\"user\",\"n\":{\"x\":null},\"u\":true}");

    @Test
    void everyCombinationOfDocuments() {
        assertThat(compose(null, null, null)).isEqualTo("{}");
        assertThat(compose(APP, null, null)).isEqualTo("{\"a\":\"app\",\"b\":\"app\",\"c\":\"app\",\"n\":{\"x\":1,\"y\":1}}");
        assertThat(compose(null, ORG, null)).isEqualTo("{\"a\":\"org\",\"b\":\"org\",\"n\":{\"y\":2}}");
        assertThat(compose(null, null, USER)).isEqualTo("{\"a\":\"user\",\"b\":\"user\",\"c\":\"user\",\"n\":{},\"u\":true}");
        assertThat(compose(APP, ORG, null)).isEqualTo("{\"a\":\"org\",\"b\":\"org\",\"c\":\"app\",\"n\":{\"x\":1,\"y\":2}}");
        assertThat(compose(APP, null, USER)).isEqualTo("{\"a\":\"user\",\"b\":\"user\",\"c\":\"user\",\"n\":{\"y\":1},\"u\":true}");
        assertThat(compose(null, ORG, USER)).isEqualTo("{\"a\":\"user\",\"b\":\"user\",\"n\":{\"y\":2},\"c\":\"user\",\"u\":true}");
        assertThat(compose(APP, ORG, USER)).isEqualTo("{\"a\":\"user\",\"b\":\"user\",\"c\":\"user\",\"n\":{\"y\":2},\"u\":true}");
    }

    @Test
    void locksOfTheAppBindOrganizationAndUserLocksOfTheOrganizationBindUsers() {
        // App locks a: neither the organization nor the user changes it.
        assertThat(ConfigService.compose(APP, Set.of("a"), ORG, Set.of(), USER).toString())
                .isEqualTo("{\"a\":\"app\",\"b\":\"user\",\"c\":\"user\",\"n\":{\"y\":2},\"u\":true}");
        // Organization locks b: the user cannot change it, the organization's value stands.
        assertThat(ConfigService.compose(APP, Set.of(), ORG, Set.of("b"), USER).toString())
                .isEqualTo("{\"a\":\"user\",\"b\":\"org\",\"c\":\"user\",\"n\":{\"y\":2},\"u\":true}");
        // Both, and a lock on a nested object protects all of it.
        assertThat(ConfigService.compose(APP, Set.of("a", "n"), ORG, Set.of("b"), USER).toString())
                .isEqualTo("{\"a\":\"app\",\"b\":\"org\",\"c\":\"user\",\"n\":{\"x\":1,\"y\":1},\"u\":true}");
        // Organization locks apply to the user's overlay even where the organization sets nothing.
        assertThat(ConfigService.compose(APP, Set.of(), null, Set.of("c"), USER).toString())
                .isEqualTo("{\"a\":\"user\",\"b\":\"user\",\"c\":\"app\",\"n\":{\"y\":1},\"u\":true}");
        // A locked member the upper scope does not set stays unset.
        assertThat(ConfigService.compose(null, Set.of("u"), null, Set.of(), USER).path("u").isMissingNode()).isTrue();
    }

    private static String compose(JsonNode app, JsonNode org, JsonNode user) {
        return ConfigService.compose(app, Set.of(), org, Set.of(), user).toString();
    }

    private static JsonNode json(String text) {
        return ConfigService.read(text);
    }
}
