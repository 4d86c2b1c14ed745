package io.switchboard.core.api.util;

import io.switchboard.core.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Paging as every list endpoint does it: a {@code limit} within bounds and an opaque
 * {@code cursor} that wraps where the next page starts (an offset, a provider's continuation).
 */
public final class Cursors {
    private Cursors() {}

    /** The opaque cursor for a position, or {@code null} when there is no next page. */
    public static String encode(String position) {
        return position == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a cursor wraps, or {@code null} for none (the first page).
     *
     * @throws ProblemException 400 when the cursor is not one this server issued
     */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor is not one this server issued");
        }
    }

    /**
     * The offset an offset cursor wraps ({@code encode(String.valueOf(offset))}), or 0 for none.
     *
     * @throws ProblemException 400 when the cursor is not one this server issued
     */
    public static int offset(String cursor) {
        String position = decode(cursor);
        try {
            int offset = position == null ? 0 : Integer.parseInt(position);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("cursor is not one this server issued");
    }

    /**
     * The page size asked for, or the default.
     *
     * @throws ProblemException 400 outside 1..max
     */
    public static int limit(Integer limit, int defaultSize, int max) {
        int size = limit == null ? defaultSize : limit;
        if (size < 1 || size > max) {
            throw ProblemException.badRequest("limit must be between 1 and " + max);
        }
        return size;
    }
}
