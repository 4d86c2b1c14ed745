package io.switchboard.connector.google.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A Google account is the signed-in user's own when the user signed in with Google with the account's subject. */
class GoogleConnectorTest {

    @Test
    void anAccountIsTheGoogleUserWithItsSubject() {
        GoogleConnector google = new GoogleConnector((GoogleConfig) Proxy.newProxyInstance(GoogleConfig.class.getClassLoader(),
                new Class<?>[] {GoogleConfig.class}, (proxy, method, args) -> method.getDefaultValue()));
        assertThat(google.samePerson("1094", "google:https://accounts.google.com", "1094")).isTrue();
        assertThat(google.samePerson("1094", "google:https://accounts.google.com", "1095")).isFalse();
        assertThat(google.samePerson("1094", "oidc:https://idp.example", "1094")).as("another issuer's subject").isFalse();
        assertThat(google.samePerson("1094", null, null)).isFalse();
    }
}
