package io.switchboard.core.linking.internal;

import io.switchboard.core.vault.api.TokenVault.Account;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of an account: no tokens, ever. */
final class AccountViews {
    private AccountViews() {}

    static Map<String, Object> json(Account a, boolean withUser) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("connector", a.connectorId());
        out.put("externalId", a.externalId());
        out.put("displayName", a.displayName());
        out.put("baseUrl", a.baseUrl());
        out.put("status", a.status().name());
        if (withUser) {
            out.put("userId", a.userId());
        }
        out.put("createdAt", a.createdAt().toString());
        out.put("updatedAt", a.updatedAt().toString());
        return out;
    }
}
