package io.switchboard.core.mailbox.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a stream's changes ({@link MailboxSync#page}).
 *
 * @param changed messages new or changed, with their metadata only (no bodies); a message may
 *     come again unchanged (providers replay), which is harmless
 * @param removed ids of messages that left the stream (deleted for good; on Graph also moved to
 *     another folder, whose stream then lists it)
 * @param cursor where the next page starts or, when {@code complete}, where the next round starts
 * @param complete the round is over: {@code cursor} is the provider's token for the next changes
 */
public record SyncPage(List<MailMessage> changed, List<String> removed, String cursor, boolean complete) {
    public SyncPage {
        changed = changed == null ? List.of() : List.copyOf(changed);
        removed = removed == null ? List.of() : List.copyOf(removed);
        Objects.requireNonNull(cursor, "cursor");
    }
}
