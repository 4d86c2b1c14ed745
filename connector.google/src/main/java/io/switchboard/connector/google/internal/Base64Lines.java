package io.switchboard.connector.google.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * Another stream's bytes in MIME base64 (lines of 76 characters, each ended by CRLF), encoded as
 * they are read: {@value #GROUP} bytes at a time. The source must hold exactly {@code expected}
 * bytes: fewer (a client's body cut short) is an error, not a shorter file.
 */
final class Base64Lines extends InputStream {
    /** 64 lines of 57 bytes (76 characters each). */
    static final int GROUP = 57 * 64;
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});

    private final InputStream source;
    private final long expected;
    private long read;
    private byte[] encoded = new byte[0];
    private int position;
    private boolean ended;

    Base64Lines(InputStream source, long expected) {
        this.source = source;
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == encoded.length) {
            if (ended) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, encoded.length - position);
        System.arraycopy(encoded, position, b, off, n);
        position += n;
        return n;
    }

    private void fill() throws IOException {
        byte[] group = source.readNBytes((int) Math.min(GROUP, Math.max(0, expected - read)));
        read += group.length;
        if (group.length == 0 || read == expected) {
            if (read < expected) {
                throw new IOException("the file ended after " + read + " of its " + expected + " bytes");
            }
            ended = true;
        }
        byte[] lines = MIME.encode(group);
        encoded = new byte[lines.length + (lines.length == 0 ? 0 : 2)];
        System.arraycopy(lines, 0, encoded, 0, lines.length);
        if (lines.length > 0) {
            encoded[lines.length] = '\r';
            encoded[lines.length + 1] = '\n';
        }
        position = 0;
    }
}
