package io.switchboard.core.mailbox.api;

/**
 * A file added to a draft: the draft as it is now and the file's attachment in it.
 *
 * @since 1.5.0
 */
public record AttachedFile(Draft draft, MailAttachment attachment) {
}
