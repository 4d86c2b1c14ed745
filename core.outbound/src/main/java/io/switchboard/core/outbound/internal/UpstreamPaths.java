package io.switchboard.core.outbound.internal;

import java.util.Locale;

/**
 * The rule for a path and query that Switchboard appends to an account's API base URL (the
 * proxy's {@code {path}}, a CRM connector's continuation): whatever is appended can only extend
 * the base path. Dot segments (plain or percent-encoded), encoded slashes and backslashes, a
 * leading {@code //}, control, space and non-ASCII characters, {@code #} and malformed encodings
 * are refused.
 */
final class UpstreamPaths {
    private UpstreamPaths() {}

    /**
     * @param rawPath empty or starting with {@code /}, still percent-encoded
     * @param rawQuery the raw query, or {@code null}
     * @return {@code null} when acceptable, else why not (for a 400 detail)
     */
    public static String problem(String rawPath, String rawQuery) {
        String path = rawPath == null ? "" : rawPath;
        if (!path.isEmpty() && path.charAt(0) != '/') {
            return "the path must start with a slash";
        }
        if (path.startsWith("//")) {
            return "the path may not start with //";
        }
        int segmentStart = 0;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#' || c == '?') {
                return "the path contains a character that is not allowed";
            }
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    return "the path has a malformed percent-encoding";
                }
                int decoded = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                if (decoded == '/' || decoded == '\\' || decoded < 0x20 || decoded == 0x7f) {
                    return "encoded slashes, backslashes and control characters are not allowed in the path";
                }
            }
            if (c == '/') {
                String segment = path.substring(segmentStart, i).toLowerCase(Locale.ROOT);
                if (segment.equals(".") || segment.equals("..") || segment.equals("%2e") || segment.equals("%2e%2e")
                        || segment.equals(".%2e") || segment.equals("%2e.")) {
                    return "dot segments are not allowed in the path";
                }
                segmentStart = i + 1;
            }
        }
        if (rawQuery != null) {
            for (int i = 0; i < rawQuery.length(); i++) {
                char c = rawQuery.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '#') {
                    return "the query contains a character that is not allowed";
                }
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
