package io.switchboard.core.mailbox.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a provider tells what changed in a mailbox, for the offline index that background runs keep
 * ({@code /admin/v1/apps/{app}/accounts/{id}/sync}). Registered, like {@link MailboxConnector}, as a
 * service with the {@code connector.id} of its connector; a mailbox connector without one can be
 * read and written but not synced.
 *
 * <p>A mailbox has one or more change <em>streams</em>: Graph keeps a delta per folder, Gmail one
 * history for the whole mailbox. Each stream is read in rounds of pages. A round that starts from
 * no cursor is a full pass: it lists every message of the stream, and a message of the stream
 * that the pass did not list is gone. A round that starts from the cursor of a complete round
 * lists only what changed since. Every page's cursor is saved with the page's changes, so a run
 * killed halfway resumes at the page it was on.
 *
 * @since 1.1.0
 */
@ConsumerType
public interface MailboxSync {

    /** The mailbox's change streams now (Graph: its folders' ids; Gmail: one). */
    List<String> streams(MailboxHttp http) throws ProviderRefusal, IOException;

    /**
     * The next page of a stream's round.
     *
     * @param cursor {@code null} to start a full pass, else the cursor of the page before
     *     (or of the last complete round)
     * @throws SyncReset the provider no longer knows the cursor (Graph 410 or
     *     {@code syncStateNotFound}, Gmail 404): the stream needs a full pass
     */
    SyncPage<MailMessage> page(MailboxHttp http, String stream, String cursor) throws SyncReset, ProviderRefusal, IOException;
}
