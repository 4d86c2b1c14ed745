package io.switchboard.itest.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures the log events of the runtime under test (inside the framework), so tests can check
 * what reaches the logs: request ids present, secrets absent. Logback types stay inside this
 * class, which is only loaded in the framework.
 */
public final class LogCapture implements AutoCloseable {
    /** One captured line. */
    public record Line(String logger, String level, String message, Map<String, String> mdc, String thrown) {}

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Loggers that do not pass their lines on to the root (logback.xml: additivity="false"). */
    private static final List<String> SEPARATE = List.of("switchboard.proxy.audit");

    private LogCapture() {
        appender.start();
        root().addAppender(appender);
        SEPARATE.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(appender));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public List<Line> lines() {
        // ListAppender adds under the appender's own lock (AppenderBase.doAppend is synchronized), not the list's
        synchronized (appender) {
            return appender.list.stream()
                    .map(e -> new Line(e.getLoggerName(), e.getLevel().toString(), e.getFormattedMessage(),
                            Map.copyOf(e.getMDCPropertyMap()),
                            e.getThrowableProxy() == null ? null : e.getThrowableProxy().getMessage()))
                    .toList();
        }
    }

    @Override
    public void close() {
        root().detachAppender(appender);
        SEPARATE.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(appender));
        appender.stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
