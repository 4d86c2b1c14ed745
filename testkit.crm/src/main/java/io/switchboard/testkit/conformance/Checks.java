package io.switchboard.testkit.conformance;

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
}
