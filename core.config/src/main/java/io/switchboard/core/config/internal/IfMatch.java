package io.switchboard.core.config.internal;

import io.switchboard.core.api.ProblemException;

/** The If-Match header: a strong ETag ({@code "7"}) or {@code *} (the document must exist). */
final class IfMatch {
    private IfMatch() {}

    /** The version to match, -1 for {@code *}, or {@code null} without the header. */
    static Long parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.equals("*")) {
            return -1L;
        }
        if (value.length() > 2 && value.startsWith("\"") && value.endsWith("\"")) {
            try {
                long version = Long.parseLong(value.substring(1, value.length() - 1));
                if (version >= 0) {
                    return version; // a negative one is no ETag of ours (and must not mean "*")
                }
            } catch (NumberFormatException ignored) {
                // falls through
            }
        }
        throw new ProblemException(412, "precondition-failed", "Precondition Failed",
                "If-Match must be an ETag this server sent (a quoted version) or *");
    }
}
