package io.switchboard.testkit.conformance;

import io.switchboard.testkit.oauth.FakeOAuthProvider;
import java.util.Objects;

/** A subject whose fake is a {@link FakeOAuthProvider}: token expiry and refresh counting come from the fake. */
public abstract class FakeProviderSubject implements CrmConformanceSubject {
    private final String connectorId;
    private final FakeOAuthProvider fake;

    protected FakeProviderSubject(String connectorId, FakeOAuthProvider fake) {
        this.connectorId = Objects.requireNonNull(connectorId);
        this.fake = Objects.requireNonNull(fake);
    }

    @Override
    public final String connectorId() {
        return connectorId;
    }

    @Override
    public void expireAccessTokens() {
        fake.expireAccessTokens();
    }

    @Override
    public int refreshCalls() {
        return fake.refreshCalls();
    }
}
