package io.switchboard.core.mailbox.api;

import java.util.List;

/** A page of messages and where the next one starts ({@code null}: this was the last). */
public record MessagePage(List<MailMessage> messages, String next) {
    public MessagePage {
        messages = List.copyOf(messages);
    }
}
