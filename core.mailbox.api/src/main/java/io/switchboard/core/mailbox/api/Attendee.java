package io.switchboard.core.mailbox.api;

/**
 * Someone invited to an event.
 *
 * @param type {@code required}, {@code optional} or {@code resource}
 * @param response {@code accepted}, {@code tentative}, {@code declined} or {@code none}
 */
public record Attendee(MailAddress address, String type, String response) {
}
