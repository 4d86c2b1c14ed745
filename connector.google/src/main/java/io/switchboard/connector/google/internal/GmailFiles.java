package io.switchboard.connector.google.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import io.switchboard.core.mailbox.api.AttachedFile;
import io.switchboard.core.mailbox.api.Draft;
import io.switchboard.core.mailbox.api.IncomingFile;
import io.switchboard.core.mailbox.api.MailAttachment;
import io.switchboard.core.mailbox.api.MailContent;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.OutgoingAttachment;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Files on Gmail: those a forward carries, and a file added to a draft. Gmail keeps a draft as
 * one RFC 5322 message, so adding a file writes the draft again through the upload endpoint
 * ({@code PUT /upload/gmail/v1/users/me/drafts/{id}?uploadType=media}, {@code message/rfc822}, up
 * to Gmail's 35 MB): the draft as it was (its raw message, read as it arrives) becomes the first
 * part of a {@code multipart/mixed} whose second part is the file, encoded in base64 as it is read
 * from the client. Neither the draft nor the file is ever held whole.
 */
final class GmailFiles {
    /** The most bytes of files a forward carries (the original's and the note's, decoded), as a message may send here. */
    static final long MOST_FORWARDED_BYTES = 2_900_000;
    /** Gmail's limit on a message sent through its upload endpoint. */
    static final long MOST_UPLOAD_BYTES = 36_700_160;
    private static final int MOST_HEADER_BYTES = 256 * 1024;

    private GmailFiles() {
    }

    /**
     * The files a forward carries, as a mail client forwards: the original's attachments (read
     * whole: the forward is written as one RFC 5322 text) and the note's own.
     *
     * @throws ProviderRefusal {@code VALIDATION} when they are over {@link #MOST_FORWARDED_BYTES}
     */
    static List<OutgoingAttachment> forwarded(MailboxHttp http, String id, MailMessage original, OutgoingMessage message)
            throws ProviderRefusal, IOException {
        List<OutgoingAttachment> files = new ArrayList<>(message.attachments());
        long total = files.stream().mapToLong(f -> f.content().length).sum() + original.attachments().stream().mapToLong(MailAttachment::size).sum();
        if (total > MOST_FORWARDED_BYTES) {
            throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 0, "the forward's files are " + total + " bytes, over the "
                    + MOST_FORWARDED_BYTES + " a forward carries here (forward a draft with files added to it instead)", null);
        }
        for (MailAttachment a : original.attachments()) {
            try (MailContent content = GmailMail.download(http, id, original.remote(), a.id())) { // the original as read, not again
                ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.max(0, Math.min(a.size(), MOST_FORWARDED_BYTES)));
                content.body().writeTo(bytes);
                files.add(new OutgoingAttachment(a.name() == null ? "attachment" : a.name(), a.contentType() == null ? "application/octet-stream"
                        : a.contentType(), bytes.toByteArray()));
            }
        }
        return files;
    }

    /** Adds the file to the draft (see above); the draft's message is new, the file its last attachment of that name. */
    static AttachedFile attach(GmailMail mail, MailboxHttp http, String draftId, IncomingFile file) throws ProviderRefusal, IOException {
        if ((file.size() + 2) / 3 * 4 * 78 / 76 > MOST_UPLOAD_BYTES) {
            throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 413, "Gmail takes messages up to " + MOST_UPLOAD_BYTES
                    + " bytes, the file encoded included", null);
        }
        String draftPath = GmailMail.API + "/drafts/" + UrlParts.encode(draftId);
        Map<String, Object> draft = http.object(http.send("GET", draftPath + "?format=minimal", Map.of(), null));
        String before = draft.get("message") instanceof Map<?, ?> m ? JsonValues.string(m.get("id")) : null;
        if (before == null) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 502, "Gmail's draft has no message", null);
        }
        Map<String, Object> updated;
        try (MailContent original = mail.mime(http, before); PipedInputStream raw = new PipedInputStream(64 * 1024)) {
            PipedOutputStream into = new PipedOutputStream(raw);
            AtomicReference<IOException> failed = new AtomicReference<>();
            Thread reader = new Thread(() -> { // the draft as it arrives, into the message being uploaded
                try (into) {
                    original.body().writeTo(into);
                } catch (IOException e) {
                    failed.set(e);
                }
            }, "gmail-draft-" + draftId);
            reader.setDaemon(true);
            reader.start();
            updated = http.object(http.upload("PUT", "/upload" + draftPath + "?uploadType=media", Map.of("Content-Type", "message/rfc822"),
                    withFile(raw, file), -1));
            if (failed.get() != null) {
                throw failed.get();
            }
        }
        Map<?, ?> message = updated.get("message") instanceof Map<?, ?> m ? m : Map.of();
        String messageId = JsonValues.string(message.get("id"));
        MailMessage now = mail.message(http, messageId);
        List<MailAttachment> named = now.attachments().stream().filter(a -> file.name().equals(a.name())).toList();
        if (named.isEmpty()) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 502, "Gmail's draft does not list the file after the upload", null);
        }
        return new AttachedFile(new Draft(JsonValues.string(updated.get("id")), messageId, JsonValues.string(message.get("threadId"))),
                named.get(named.size() - 1));
    }

    /**
     * The draft's message with the file: its headers but the {@code Content-*} ones and
     * {@code MIME-Version} stay at the top, over a {@code multipart/mixed} of its content as it was
     * (with its {@code Content-*} headers) and the file in base64.
     */
    static InputStream withFile(InputStream original, IncomingFile file) throws IOException {
        List<String> top = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (String header : headers(original)) {
            String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
            if (name.regionMatches(true, 0, "Content-", 0, 8)) {
                content.add(header);
            } else if (!name.equalsIgnoreCase("MIME-Version")) {
                top.add(header);
            }
        }
        String boundary = "sb-file-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        top.forEach(h -> head.append(h).append("\r\n"));
        head.append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n--").append(boundary)
                .append("\r\n");
        content.forEach(h -> head.append(h).append("\r\n"));
        head.append("\r\n");
        String name = "\"" + (file.name().matches("[\\x20-\\x7e]*") ? file.name().replace("\\", "\\\\").replace("\"", "\\\"")
                : Rfc5322.unstructured(file.name())) + "\"";
        String middle = "\r\n--" + boundary + "\r\nContent-Type: " + file.contentType().replaceAll("[\\r\\n]", "") + "; name=" + name
                + "\r\nContent-Disposition: attachment; filename=" + name + "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        String end = "--" + boundary + "--\r\n";
        return new SequenceInputStream(Collections.enumeration(List.of(bytes(head.toString()), original, bytes(middle),
                new Base64Lines(file.content(), file.size()), bytes(end))));
    }

    /** The header block's headers, unfolded; the stream is left at the first byte of the body. */
    private static List<String> headers(InputStream in) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int last = -1;
        int b;
        while ((b = in.read()) >= 0) { // up to the empty line: CRLF CRLF, or LF LF
            if (b == '\n' && last == '\n') {
                break;
            }
            if (b != '\r') {
                block.write(b);
                last = b;
            }
            if (block.size() > MOST_HEADER_BYTES) {
                throw new IOException("the draft's header block is over " + MOST_HEADER_BYTES + " bytes");
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : block.toString(StandardCharsets.UTF_8).split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "\r\n" + line); // kept folded, as written
            } else if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    private static InputStream bytes(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
