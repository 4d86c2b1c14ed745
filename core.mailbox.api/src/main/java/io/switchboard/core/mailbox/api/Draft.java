package io.switchboard.core.mailbox.api;

/**
 * A saved draft.
 *
 * @param id the draft's id for the draft operations (Graph: its message id; Gmail: the draft's own id)
 * @param messageId the id of the message it is (Graph: the same; Gmail: it changes with every update)
 * @param threadId its conversation, when the provider says
 */
public record Draft(String id, String messageId, String threadId) {
}
