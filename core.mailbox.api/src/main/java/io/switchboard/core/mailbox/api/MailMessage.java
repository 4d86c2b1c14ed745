package io.switchboard.core.mailbox.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message in the unified shape. In lists the bodies are {@code null}; a single message read
 * carries them.
 *
 * @param id the provider's id, stable across moves (Graph immutable ids; Gmail's ids are)
 * @param threadId the conversation (Graph {@code conversationId}, Gmail {@code threadId})
 * @param folderIds the folders or labels it is in
 * @param internetMessageId the RFC 5322 {@code Message-ID}
 * @param receivedAt when it arrived (sent, for a message of one's own)
 * @param snippet the provider's preview text
 * @param textBody the plain-text body, or {@code null}
 * @param htmlBody the HTML body, or {@code null}
 * @param remote the provider's raw record
 */
public record MailMessage(String id, String threadId, List<String> folderIds, String internetMessageId, MailAddress from,
                          List<MailAddress> to, List<MailAddress> cc, List<MailAddress> bcc, List<MailAddress> replyTo, String subject,
                          String snippet, Instant receivedAt, boolean unread, boolean flagged, boolean draft, String textBody,
                          String htmlBody, List<MailAttachment> attachments, Map<String, Object> remote) {
    public MailMessage {
        Objects.requireNonNull(id, "id");
        folderIds = folderIds == null ? List.of() : List.copyOf(folderIds);
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        remote = remote == null ? Map.of() : remote;
    }
}
