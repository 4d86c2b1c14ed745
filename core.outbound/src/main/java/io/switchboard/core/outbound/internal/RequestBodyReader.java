package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.rest.api.BodyTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.util.Callback;

/**
 * Reads the add-in's request body without blocking a thread (an add-in that sends slowly holds
 * none): up to {@code replay.body.bytes} it is kept, and the call starts once it is complete
 * (a 401 can then be retried with it); a larger one is streamed to the provider as it
 * arrives, the next piece read only once the provider's side has taken the previous one.
 */
final class RequestBodyReader implements ReadListener, Callback {
    private final UpstreamExchange exchange;
    private final int replayBody;
    private final ServletInputStream in;
    private final String contentType;
    private java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    private final byte[] scratch = new byte[16 * 1024]; // for reads copied into head
    private AsyncRequestContent streaming; // once the body outgrew the replay buffer
    private boolean sending;   // a piece is with the provider's side, not yet taken
    private boolean pumping;
    private boolean done;

    RequestBodyReader(UpstreamExchange exchange, ServletInputStream in, String contentType, int replayBody) {
        this.exchange = exchange;
        this.replayBody = replayBody;
        this.in = in;
        this.contentType = contentType;
    }

    @Override
    public void onDataAvailable() {
        pump();
    }

    private void pump() {
        AsyncRequestContent started = null;
        synchronized (this) {
            if (pumping || done) {
                return;
            }
            pumping = true;
            try {
                while (!sending && in.isReady()) {
                    // a streamed piece is kept by the provider's side until sent, so it gets its own array
                    byte[] piece = streaming == null ? scratch : new byte[16 * 1024];
                    int n = in.read(piece);
                    if (n < 0) {
                        break; // onAllDataRead() follows
                    }
                    if (streaming == null) {
                        head.write(piece, 0, n);
                        if (head.size() > replayBody) {
                            streaming = new AsyncRequestContent(contentType);
                            started = streaming;
                            sending = true;
                            streaming.write(ByteBuffer.wrap(head.toByteArray()), this);
                            head = null;
                        }
                    } else {
                        sending = true;
                        streaming.write(ByteBuffer.wrap(piece, 0, n), this);
                    }
                }
            } catch (IOException e) {
                done = true;
                if (streaming != null) {
                    streaming.fail(e);
                } else {
                    exchange.call.fail(e instanceof BodyTooLargeException tooLarge ? tooLarge.problem() : unreadable());
                }
            } finally {
                pumping = false;
            }
        }
        if (started != null) {
            exchange.sendStreaming(started);
        }
    }

    /** The provider's side took the last piece. */
    @Override
    public void succeeded() {
        synchronized (this) {
            sending = false;
            if (pumping) {
                return; // taken at once: the loop in pump() goes on
            }
        }
        pump();
    }

    @Override
    public void failed(Throwable failure) {
        synchronized (this) {
            done = true; // the upstream call failed; it ends the call
        }
    }

    @Override
    public void onAllDataRead() {
        byte[] body;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            if (streaming != null) {
                streaming.close();
                return;
            }
            body = head.toByteArray();
        }
        exchange.sendBuffered(body);
    }

    @Override
    public void onError(Throwable failure) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            if (streaming != null) {
                streaming.fail(failure);
                return;
            }
        }
        exchange.call.fail(unreadable());
    }

    private ProblemException unreadable() {
        return new ProblemException(400, "invalid-body", "Bad Request", "the request body could not be read");
    }
}
