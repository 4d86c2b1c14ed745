package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The current request's id: kept in a thread local (the source of truth, independent of the
 * logging backend) and mirrored into the SLF4J MDC so every log line the request causes carries it.
 */
final class RequestContext {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    /** Ids a caller may choose: short, printable, no spaces or separators that could forge log lines. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestContext() {}

    static String accept(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : io.switchboard.core.api.util.Ids.uuid();
    }

    static String current() {
        return CURRENT.get();
    }

    static void begin(String requestId) {
        CURRENT.set(requestId);
        MDC.put(Switchboard.REQUEST_ID_MDC, requestId);
    }

    static void end() {
        CURRENT.remove();
        MDC.remove(Switchboard.REQUEST_ID_MDC);
    }
}
