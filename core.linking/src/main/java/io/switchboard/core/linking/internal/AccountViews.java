package io.switchboard.core.linking.internal;

import io.switchboard.core.vault.api.TokenVault.Account;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of an account: no tokens, ever. */
final class AccountViews {
    private AccountViews() {}

    static Map<String, Object> json(Account a, boolean withUser) {
        return json(a, withUser, null);
    }

    /** {@code self} (when given): whether the account is the signed-in user's own (see {@code Connector.samePerson}). */
    static Map<String, Object> json(Account a, boolean withUser, Boolean self) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("connector", a.connectorId());
        out.put("externalId", a.externalId());
        out.put("displayName", a.displayName());
        out.put("baseUrl", a.baseUrl());
        out.put("status", a.status().name());
        if (self != null) {
            out.put("self", self);
        }
        if (withUser) {
            out.put("userId", a.userId());
        }
        out.put("createdAt", a.createdAt().toString());
        out.put("updatedAt", a.updatedAt().toString());
        return out;
    }
}
