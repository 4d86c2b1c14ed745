package io.switchboard.connector.microsoft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A Microsoft account ({@code <tid>/<oid>}) is the signed-in user's own when the user signed in with Entra ID as that object of that tenant. */
class MicrosoftConnectorTest {

    @Test
    void anAccountIsTheEntraUserOfItsTenantAndObjectId() {
        MicrosoftConnector ms = new MicrosoftConnector((MicrosoftConfig) Proxy.newProxyInstance(MicrosoftConfig.class.getClassLoader(),
                new Class<?>[] {MicrosoftConfig.class}, (proxy, method, args) -> method.getDefaultValue()));
        String tid = "72f988bf-0000-4000-8000-00000000cafe";
        String oid = "0b1c2d3e-0000-4000-8000-000000000001";
        assertThat(ms.samePerson(tid + "/" + oid, "entra:" + tid, oid)).isTrue();
        assertThat(ms.samePerson(tid + "/" + oid, "entra:" + tid.toUpperCase(), oid.toUpperCase())).as("GUIDs in any case").isTrue();
        assertThat(ms.samePerson(tid + "/" + oid, "entra:11111111-0000-4000-8000-000000000000", oid)).as("another tenant").isFalse();
        assertThat(ms.samePerson(tid + "/" + oid, "entra:" + tid, "0b1c2d3e-0000-4000-8000-000000000002")).isFalse();
        assertThat(ms.samePerson(oid, "entra:" + tid, oid)).as("an account without its tenant").isFalse();
        assertThat(ms.samePerson(tid + "/" + oid, "google:https://accounts.google.com", oid)).isFalse();
    }
}
