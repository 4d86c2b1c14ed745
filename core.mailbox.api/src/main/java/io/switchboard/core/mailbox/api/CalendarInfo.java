package io.switchboard.core.mailbox.api;

import java.util.Map;
import java.util.Objects;

/**
 * A calendar of the account.
 *
 * @param id the provider's id (Google: often the owner's address; {@code primary} is also accepted)
 * @param primary whether it is the account's default calendar
 * @param canEdit whether events can be created in it
 * @param timeZone its IANA time zone, when the provider says
 */
public record CalendarInfo(String id, String name, boolean primary, boolean canEdit, String timeZone, Map<String, Object> remote) {
    public CalendarInfo {
        Objects.requireNonNull(id, "id");
        remote = remote == null ? Map.of() : remote;
    }
}
