package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayTargetsTest {
    private final RelayTargets targets = new RelayTargets();
    private static final String BASE = "https://na1.my.salesforce.com/services/data/v60.0/";
    private static final Set<String> HOSTS = Set.of("na1.my.salesforce.com");
    private static final List<String> SALESFORCE = List.of("/services/data/", "/services/apexrest/");
    private static final List<String> ANY = List.of("/");

    @Test
    void theProvidersOwnPathGoesToTheBaseUrlsOriginExactlyAsSent() {
        RelayTargets.Target t = targets.resolve(BASE, HOSTS, SALESFORCE, "/services/data/v60.0/query",
                "q=SELECT+Id+FROM+Contact%20WHERE+x%3D1&a=%E2%9C%93");
        assertThat(t.origin().toString()).isEqualTo("https://na1.my.salesforce.com");
        assertThat(t.host()).isEqualTo("na1.my.salesforce.com");
        assertThat(t.hostHeader()).isEqualTo("na1.my.salesforce.com");
        assertThat(t.pathAndQuery()).isEqualTo("/services/data/v60.0/query?q=SELECT+Id+FROM+Contact%20WHERE+x%3D1&a=%E2%9C%93");
        assertThat(targets.resolve(BASE, HOSTS, SALESFORCE, "/services/data/v60.0/sobjects/caf%C3%A9/a@b:c", null).pathAndQuery())
                .as("a continuation link the provider returned (root-relative) is followed as it is")
                .isEqualTo("/services/data/v60.0/sobjects/caf%C3%A9/a@b:c");
        assertThat(targets.resolve(BASE, HOSTS, SALESFORCE, "/services/apexrest/Cases", null).uri().toString())
                .isEqualTo("https://na1.my.salesforce.com/services/apexrest/Cases");
        assertThat(targets.resolve(BASE, HOSTS, SALESFORCE, "/services/data", null).pathAndQuery()).isEqualTo("/services/data");
    }

    @Test
    void onlyThePathsTheConnectorDeclaresAreReachable() {
        for (String outside : new String[] {"/services/oauth2/token", "/services/datax/v60.0", "/id/00D/005", "/x"}) {
            assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, SALESFORCE, outside, null)).as(outside)
                    .isInstanceOf(ProblemException.class).hasFieldOrPropertyWithValue("slug", "path-not-allowed");
        }
        assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, List.of(), "/services/data/v60.0", null)).as("a connector that names none")
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, ANY, "", null)).as("no path").isInstanceOf(ProblemException.class)
                .hasFieldOrPropertyWithValue("slug", "invalid-proxy-path");
    }

    @Test
    void theHostHeaderNamesAPortOnlyWhenItIsNotTheSchemesDefault() {
        RelayTargets.Target t = targets.resolve("http://127.0.0.1:8081/api", Set.of("127.0.0.1"), ANY, "/api/x", null);
        assertThat(t.hostHeader()).isEqualTo("127.0.0.1:8081");
        assertThat(t.uri().toString()).isEqualTo("http://127.0.0.1:8081/api/x");
        assertThat(targets.resolve("https://[::1]:443/api", Set.of("[::1]"), ANY, "/x", null).hostHeader()).isEqualTo("[::1]");
        assertThat(targets.resolve("http://API.Example:80", Set.of("api.example"), ANY, "/x", null).hostHeader()).isEqualTo("api.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E/x", "/.%2e/x", "/%2e./x", "/./x", "/a/..", "//evil.example/x",
            "/%2f%2fevil", "/a%2F..%2Fb", "/a\\b", "/%5c%5cevil", "/a b", "/a%00", "/a%zz", "/a%2", "/caf\u00e9", "/a#frag", "evil",
            "/a?b"})
    void refusesPathsThatCouldLeaveTheBase(String path) {
        assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, ANY, path, null)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
    }

    @Test
    void refusesAHostTheConnectorDoesNotAllowAndBadQueries() {
        assertThatThrownBy(() -> targets.resolve("https://evil.example/api", HOSTS, ANY, "/x", null))
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(403));
        assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, ANY, "/x", "a=1#frag")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> targets.resolve(BASE, HOSTS, ANY, "/x", "a=1 2")).isInstanceOf(ProblemException.class);
    }
}
