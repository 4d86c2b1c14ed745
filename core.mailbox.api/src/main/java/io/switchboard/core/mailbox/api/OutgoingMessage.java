package io.switchboard.core.mailbox.api;

import java.util.List;

/**
 * A message to send. A reply names the message it answers: the connector keeps the thread
 * (Graph's reply, Gmail's {@code threadId} with {@code In-Reply-To} and {@code References}) and,
 * when no subject is given, answers with {@code Re: <subject>}.
 *
 * @param inReplyTo the id of the message this answers, or {@code null} for a new conversation
 * @param text the plain-text body, or {@code null}
 * @param html the HTML body, or {@code null} (at least one of the two)
 * @param attachments files sent with it (since 1.3.0)
 */
public record OutgoingMessage(List<MailAddress> to, List<MailAddress> cc, List<MailAddress> bcc, String subject, String text, String html,
                              String inReplyTo, List<OutgoingAttachment> attachments) {
    public OutgoingMessage {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message without attachments. */
    public OutgoingMessage(List<MailAddress> to, List<MailAddress> cc, List<MailAddress> bcc, String subject, String text, String html,
                           String inReplyTo) {
        this(to, cc, bcc, subject, text, html, inReplyTo, List.of());
    }
}
