package io.stripesync;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The service's log lines (logger io.stripesync) while a test runs: attach after the service started, then close. */
final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    LogLines() {
        this("io.stripesync");
    }

    /** The lines of {@code loggerName} and below ({@code org.slf4j.Logger.ROOT_LOGGER_NAME}: every line). */
    LogLines(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        lines.start();
        logger.addAppender(lines);
    }

    List<ILoggingEvent> events() {
        return lines.list;
    }

    List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
