package io.switchboard.core.mailbox.api;

/**
 * What the provider says of a message it accepted.
 *
 * @param id the sent message's id, or {@code null} when the provider does not say (Graph's
 *     {@code sendMail} and {@code reply} answer 202 without a body)
 * @param threadId its conversation, when known
 */
public record SentMessage(String id, String threadId) {
}
