package io.switchboard.core.api.util;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Pieces of a provider's URL built from values (ids, names) that may hold any character. */
public final class UrlParts {
    private UrlParts() {
    }

    /** A value percent-encoded for a path segment or a query value ({@code %20} for a space, never {@code +}). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
