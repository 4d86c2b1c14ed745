package io.switchboard.core.rest.internal;

/** The {@code streaming.paths} of {@link RestConfig}: path prefixes, a {@code *} in one standing for one whole path segment. */
final class StreamingPaths {
    private StreamingPaths() {
    }

    /** Whether {@code uri} starts with {@code prefix} (its {@code *} segments matching any one non-empty segment). */
    static boolean matches(String prefix, String uri) {
        if (!prefix.contains("*")) {
            return uri.startsWith(prefix);
        }
        String[] want = prefix.split("/", -1);
        String[] have = uri.split("/", -1);
        if (have.length < want.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean last = i == want.length - 1;
            if (want[i].equals("*") ? have[i].isEmpty() : last ? !have[i].startsWith(want[i]) : !have[i].equals(want[i])) {
                return false;
            }
        }
        return true;
    }
}
