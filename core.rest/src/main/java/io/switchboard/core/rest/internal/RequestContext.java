package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** The current request's id, kept in the SLF4J MDC so every log line the request causes carries it. */
final class RequestContext {
    /** Ids a caller may choose: short, printable, no spaces or separators that could forge log lines. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestContext() {}

    static String accept(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    static String current() {
        return MDC.get(Switchboard.REQUEST_ID_MDC);
    }
}
