package io.switchboard.core.api.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureScopesTest {
    private final FeatureScopes mailbox = new FeatureScopes(List.of("offline_access", "openid"),
            Map.of("mail.read", List.of("Mail.Read"), "mail", List.of("Mail.ReadWrite"), "calendar", List.of("Calendars.ReadWrite", "openid")),
            List.of("mail", "calendar"));

    private static ConnectorSettings app(List<String> scopes, Map<String, String> options) {
        return new ConnectorSettings("client", "secret", scopes, options);
    }

    @Test
    void anAppThatChoseNothingGetsTheDefaultFeaturesAfterWhatLinkingNeedsWithoutRepeats() {
        assertThat(mailbox.scopes(app(List.of(), Map.of()))).containsExactly("offline_access", "openid", "Mail.ReadWrite", "Calendars.ReadWrite");
        assertThat(mailbox.scopes(app(List.of(), Map.of("features", " ")))).containsExactly("offline_access", "openid", "Mail.ReadWrite",
                "Calendars.ReadWrite");
    }

    @Test
    void anAppsFeaturesOrItsOwnScopesDecide() {
        assertThat(mailbox.scopes(app(List.of(), Map.of("features", "mail.read")))).containsExactly("offline_access", "openid", "Mail.Read");
        assertThat(mailbox.scopes(app(List.of("Mail.Send", "openid"), Map.of("features", "mail.read"))))
                .as("an app's own scopes win over features, and what linking needs stays").containsExactly("offline_access", "openid", "Mail.Send");
    }

    @Test
    void aFeatureTheConnectorDoesNotOfferIsTheAppsMisconfigurationNamedWithTheChoices() {
        assertThatThrownBy(() -> mailbox.scopes(app(List.of(), Map.of("features", "mail, telepathy"))))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(500))
                .hasMessageContaining("telepathy").hasMessageContaining("[calendar, mail, mail.read]");
        assertThatThrownBy(() -> new FeatureScopes(List.of(), Map.of("a", List.of("x")), List.of("b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
