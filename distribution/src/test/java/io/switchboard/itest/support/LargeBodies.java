package io.switchboard.itest.support;

import io.switchboard.testkit.http.FakeServer;
import java.io.IOException;
import java.io.InputStream;

/** Reads a body of testkit's large-body pattern ({@link FakeServer#largeBody}), checking a sample of its bytes. */
public final class LargeBodies {
    private long read;
    private boolean intact = true;
    private final byte[] buf = new byte[65536];

    /** Reads until at least {@code upTo} bytes of the body have been read in all, or it ends; returns the bytes read in all. */
    public long readUpTo(InputStream in, long upTo) throws IOException {
        while (read < upTo) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, upTo - read));
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i += 4099) {
                intact &= buf[i] == FakeServer.largeBodyByte(read + i);
            }
            read += n;
        }
        return read;
    }

    /** Whether every sampled byte read so far was the pattern's. */
    public boolean intact() {
        return intact;
    }
}
