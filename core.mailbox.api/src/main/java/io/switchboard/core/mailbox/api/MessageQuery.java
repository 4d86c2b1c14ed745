package io.switchboard.core.mailbox.api;

import java.time.Instant;

/**
 * Which messages to list, newest first.
 *
 * @param folderId a folder or label id, or a well-known kind ({@code inbox}, {@code sent}, ...), or {@code null} for all
 * @param unread {@code true} for unread only, {@code false} for read only, {@code null} for both
 * @param from a sender's address, or {@code null}
 * @param after received at or after, or {@code null}
 * @param before received before, or {@code null}
 * @param search the provider's own full-text search, passed on as it is, or {@code null}
 * @param limit the page size
 * @param next the position the previous page ended at ({@link MessagePage#next()}), or {@code null} for the first page
 */
public record MessageQuery(String folderId, Boolean unread, String from, Instant after, Instant before, String search, int limit,
                           String next) {
}
