package io.stripesync.ops;

import io.stripesync.config.LogSafe;
import io.stripesync.config.Moments;
import io.stripesync.config.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * For the reports (routes/reports.camel.yaml): the drift report's parameter, {@code ?since=}, read with
 * {@link Moments}; and a report's failure, logged for the operator (the caller is only told 503).
 */
@Component("reports")
public class Reports {

    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final Secrets secrets;

    public Reports(Secrets secrets) {
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

    /** The report could not be read from the database: the operator is told which and why (the caller only 503). */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        log.error("Report {} failed: {}", exchange.getFromRouteId(), cause == null ? "unknown failure" : LogSafe.text(
                secrets.scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage())));
    }
}
