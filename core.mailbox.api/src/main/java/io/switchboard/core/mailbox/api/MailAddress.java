package io.switchboard.core.mailbox.api;

import java.util.Objects;

/** A sender or recipient: an address and, where the message gives one, a display name. */
public record MailAddress(String name, String address) {
    public MailAddress {
        Objects.requireNonNull(address, "address");
        name = name == null || name.isBlank() ? null : name;
    }
}
