package io.switchboard.core.outbound.internal;

import java.io.IOException;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;

/** Reads and drops a declared-too-large body without blocking a thread, then answers 413. */
final class BodyDrain implements ReadListener {
    private final RelayedCall call;
    private final ServletInputStream in;
    private final byte[] scratch = new byte[16 * 1024];
    private boolean ended;

    BodyDrain(RelayedCall call, ServletInputStream in) {
        this.call = call;
        this.in = in;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (in.isReady() && in.read(scratch) >= 0) {
            // dropped
        }
    }

    @Override
    public void onAllDataRead() {
        if (end()) {
            call.fail(call.tooLarge());
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (end()) {
            call.end(413, false); // the client went away before its body was read: nothing to answer
        }
    }

    private synchronized boolean end() {
        boolean first = !ended;
        ended = true;
        return first;
    }
}
