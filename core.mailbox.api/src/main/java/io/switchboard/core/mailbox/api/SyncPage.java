package io.switchboard.core.mailbox.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a stream's changes ({@link MailboxSync#page}, {@link CalendarSync#page}).
 *
 * @param <T> the records: {@link MailMessage}s (metadata only, no bodies) or {@link CalendarEvent}s
 * @param changed records new or changed; one may come again unchanged (providers replay), which is harmless
 * @param removed ids of records that left the stream (deleted; on Graph a message also when moved
 *     to another folder, whose stream then lists it); an id the index does not hold is ignored
 * @param cursor where the next page starts or, when {@code complete}, where the next round starts
 * @param complete the round is over: {@code cursor} is the provider's token for the next changes
 */
public record SyncPage<T>(List<T> changed, List<String> removed, String cursor, boolean complete) {
    public SyncPage {
        changed = changed == null ? List.of() : List.copyOf(changed);
        removed = removed == null ? List.of() : List.copyOf(removed);
        Objects.requireNonNull(cursor, "cursor");
    }
}
