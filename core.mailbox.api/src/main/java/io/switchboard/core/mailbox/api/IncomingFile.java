package io.switchboard.core.mailbox.api;

import java.io.InputStream;
import java.util.Objects;

/**
 * A file on its way to a provider, read once as it goes (see {@link MailboxConnector#attach}).
 *
 * @param size its bytes, as the client declared them ({@code Content-Length}); the content holds exactly that many
 * @since 1.5.0
 */
public record IncomingFile(String name, String contentType, long size, InputStream content) {
    public IncomingFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }
}
