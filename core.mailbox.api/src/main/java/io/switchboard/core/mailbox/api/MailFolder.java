package io.switchboard.core.mailbox.api;

import java.util.Map;
import java.util.Objects;

/**
 * A folder (Microsoft Graph) or label (Gmail), one model for both.
 *
 * @param id the provider's own id, usable wherever the API takes a folder
 * @param name what the user sees
 * @param kind {@code inbox}, {@code sent}, {@code drafts}, {@code trash}, {@code spam},
 *     {@code archive} for the well-known ones (which the API also accepts by that name in place
 *     of an id), {@code folder} for a user's folder, {@code label} for a Gmail user label, {@code system}
 *     for other provider folders (Gmail's STARRED, IMPORTANT, ...)
 * @param parentId the enclosing folder's id, or {@code null}
 * @param total messages in it, when the provider says
 * @param unread unread messages in it, when the provider says
 * @param remote the provider's raw record
 */
public record MailFolder(String id, String name, String kind, String parentId, Integer total, Integer unread, Map<String, Object> remote) {
    public MailFolder {
        Objects.requireNonNull(id, "id");
        remote = remote == null ? Map.of() : remote;
    }
}
