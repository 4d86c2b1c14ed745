package io.switchboard.testkit.conformance;

import java.util.List;
import java.util.Map;

/** Assertions without a test framework, so the suite runs under any of them. */
final class Checks {
    private Checks() {}

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected: " + what);
        }
    }

    static void equal(Object actual, Object expected, String what) {
        if (!java.util.Objects.equals(actual == null ? null : String.valueOf(actual), expected == null ? null : String.valueOf(expected))) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    /** Runs one check of a suite; its failure names the check and the ones that passed before it. */
    static void run(List<String> passed, String name, Runnable check) {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("conformance check '" + name + "' failed (passed before it: " + passed + "): " + e.getMessage(), e);
        }
        passed.add(name);
    }

    /** The linked account is ACTIVE, of the connector, with the provider's identity, a display name, and no token in sight. */
    static void linkedAccount(SwitchboardClient client, String accountId, String connectorId, String externalId) {
        SwitchboardClient.Answer account = client.call("GET", "v1/accounts/" + accountId, null);
        equal(account.status(), 200, "GET the linked account: " + account);
        Map<String, Object> a = account.json();
        equal(a.get("status"), "ACTIVE", "account status");
        equal(a.get("connector"), connectorId, "account connector");
        equal(a.get("externalId"), externalId, "account externalId (the provider's identity)");
        check(a.get("displayName") != null && !String.valueOf(a.get("displayName")).isBlank(), "a display name");
        check(!account.body().contains("access_token") && !account.body().contains("refresh_token"), "no token in the account");
    }
}
