package io.switchboard.core.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyServletTest {

    @Test
    void accountIdsAreShortTokensOfLettersDigitsAndDashes() {
        assertThat(ProxyServlet.accountId("260e4c2c-548c-4c47-ac27-388c62c7f1b9")).isTrue();
        for (String bad : new String[] {"", "a/b", "a.b", "%2e", "x".repeat(65), "é"}) {
            assertThat(ProxyServlet.accountId(bad)).as(bad).isFalse();
        }
    }
}
