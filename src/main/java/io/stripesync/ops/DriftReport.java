package io.stripesync.ops;

import io.stripesync.config.LogSafe;
import io.stripesync.config.Moments;
import io.stripesync.config.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The drift report's one parameter, {@code ?since=}, read with {@link Moments}; and its failures, logged. */
@Component("driftReport")
public class DriftReport {

    private static final Logger log = LoggerFactory.getLogger(DriftReport.class);

    private final Secrets secrets;

    public DriftReport(Secrets secrets) {
        this.secrets = secrets;
    }

    /** The moment as an ISO timestamp, or null (the route answers 400) when it is missing, unreadable or out of range. */
    public String since(@Header("since") String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Moments.parse(since).toString();
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** The report could not be read from the database: the operator is told what failed (the caller only 503). */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        log.error("Drift report failed: {}", cause == null ? "unknown failure" : LogSafe.text(
                secrets.scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage())));
    }
}
