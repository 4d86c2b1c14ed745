package io.switchboard.core.mailbox.api;

/**
 * An attachment's metadata (its content is read apart).
 *
 * @param id the provider's id of the attachment within its message
 * @param inline whether the body shows it (a picture in the HTML) rather than listing it
 */
public record MailAttachment(String id, String name, String contentType, long size, boolean inline) {
}
