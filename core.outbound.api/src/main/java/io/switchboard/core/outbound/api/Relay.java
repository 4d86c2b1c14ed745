package io.switchboard.core.outbound.api;

import io.switchboard.core.api.connector.AccessToken;
import java.util.function.UnaryOperator;

/**
 * One relayed call: where it goes and with which token, its limits, and who hears how it ended.
 *
 * @param rawPath the provider's own root-relative path on the origin of the account's base URL, as
 *     its documentation and SDKs write it, still percent-encoded as the add-in sent it; it must
 *     start with one of the token's {@code proxyPaths}
 * @param rawQuery the raw query, or {@code null}
 * @param replayBodyBytes request bodies up to this size are kept for one retry after a 401 and a refresh;
 *     larger ones stream through once
 * @param responseTimeoutMillis the longest wait for the provider's response headers once the whole request is sent
 *     (then 504 {@code upstream-timeout}); a slow upload is bounded by the connections' idle time-outs instead
 */
public record Relay(AccessToken token, UnaryOperator<AccessToken> afterRejection, String rawPath, String rawQuery,
                    int replayBodyBytes, long responseTimeoutMillis, Listener listener) {

    /** Hears the end of a relayed call, once, after the answer went out (or broke off). */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param status the status the add-in got (the provider's, or the problem's)
         * @param upstreamError whether the provider failed the call (unreachable, timeout, broken off)
         */
        void ended(int status, boolean upstreamError);
    }
}
