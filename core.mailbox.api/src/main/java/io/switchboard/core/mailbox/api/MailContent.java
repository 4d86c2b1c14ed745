package io.switchboard.core.mailbox.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Content read from the provider as it is written on (an attachment's bytes, a raw RFC 5322
 * message): the provider is read no faster than {@link Body#writeTo} writes, so memory stays flat
 * whatever the size. Close it when done; closing it early breaks the provider's answer off.
 *
 * @param contentType the media type (the provider's, or {@code application/octet-stream})
 * @param name a file name for the content, or {@code null}
 * @param size its size in bytes, or {@code -1} when not known beforehand
 */
public record MailContent(String contentType, String name, long size, Body body) implements Closeable {

    /** The content's bytes, written once. */
    public interface Body extends Closeable {
        /** Writes the whole content to {@code out} as it arrives from the provider. */
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
