package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The unified mailbox operations of one provider. Registered as a service with the
 * {@code connector.id} of its {@link io.switchboard.core.api.connector.Connector}. Methods throw
 * {@link ProviderRefusal} for the provider's refusals and {@link IOException} when the provider
 * cannot be reached.
 */
@ConsumerType
public interface MailboxConnector {

    /** Every folder or label of the mailbox. */
    List<MailFolder> folders(MailboxHttp http) throws ProviderRefusal, IOException;

    /** A page of messages, newest first, without bodies. */
    MessagePage messages(MailboxHttp http, MessageQuery query) throws ProviderRefusal, IOException;

    /** One message with its bodies and attachments' metadata. */
    MailMessage message(MailboxHttp http, String id) throws ProviderRefusal, IOException;

    /** Sends a message (a reply stays in its thread). */
    SentMessage send(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException;

    /**
     * Marks a message read or unread and flagged or not ({@code null}: leave as it is).
     */
    void mark(MailboxHttp http, String id, Boolean unread, Boolean flagged) throws ProviderRefusal, IOException;

    /**
     * Moves a message to a folder (an id or a well-known kind); its id stays the same. On Gmail a
     * move is a change of labels: the target's label added, {@code INBOX} removed.
     */
    void move(MailboxHttp http, String id, String folder) throws ProviderRefusal, IOException;

    /**
     * Forwards a message to {@code message}'s recipients with its text or HTML as the covering note;
     * the forward stays in the original's thread where the provider keeps one (Graph's
     * {@code forward}; Gmail: {@code Fwd:} subject, threading headers, the original's text quoted).
     */
    SentMessage forward(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException;

    /** Saves a draft (a reply draft stays in its thread, as {@link #send} does). */
    Draft createDraft(MailboxHttp http, OutgoingMessage message) throws ProviderRefusal, IOException;

    /** Replaces a draft's recipients, subject and bodies. */
    Draft updateDraft(MailboxHttp http, String id, OutgoingMessage message) throws ProviderRefusal, IOException;

    /** Sends a draft. */
    SentMessage sendDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException;

    /** Discards a draft. */
    void deleteDraft(MailboxHttp http, String id) throws ProviderRefusal, IOException;

    /**
     * An attachment's content, read from the provider as it is written on ({@link MailContent}).
     * A connector that cannot stream answers {@link ProviderRefusal.Kind#NOT_SUPPORTED}.
     */
    default MailContent attachment(MailboxHttp http, String messageId, String attachmentId) throws ProviderRefusal, IOException {
        throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "attachments' content is not offered by this connector", null);
    }

    /** The message as RFC 5322 text ({@code message/rfc822}), read as it is written on. */
    default MailContent mime(MailboxHttp http, String messageId) throws ProviderRefusal, IOException {
        throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "raw messages are not offered by this connector", null);
    }

    /**
     * Adds a file to a draft, its bytes read from {@code file} as they go to the provider, so a
     * file of any size the provider takes leaves memory flat (Graph: an upload session above
     * 3 MB; Gmail: the draft written again through its upload endpoint).
     *
     * @return the draft as it is now (Gmail's draft is a new message) and the file's attachment in it
     * @since 1.5.0
     */
    default AttachedFile attach(MailboxHttp http, String draftId, IncomingFile file) throws ProviderRefusal, IOException {
        throw new ProviderRefusal(ProviderRefusal.Kind.NOT_SUPPORTED, 0, "adding files to drafts is not offered by this connector", null);
    }

    /** Deletes a message the way the user's own client does: it goes to the trash (Deleted Items, Gmail's TRASH). */
    void delete(MailboxHttp http, String id) throws ProviderRefusal, IOException;
}
