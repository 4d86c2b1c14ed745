package io.switchboard.core.mailbox.api;

/**
 * A file sent with a message.
 *
 * @param name its file name
 * @param contentType its media type
 * @param content its bytes
 * @since 1.3.0
 */
public record OutgoingAttachment(String name, String contentType, byte[] content) {
}
