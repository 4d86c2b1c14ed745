package io.switchboard.core.mailbox.api;

import java.time.Instant;

/**
 * A time the account is not free.
 *
 * @param status {@code busy}, {@code tentative}, {@code oof} or {@code workingElsewhere} where the provider says, else {@code busy}
 */
public record BusySlot(Instant start, Instant end, String status) {
}
