package io.stripesync.sync;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.stripesync.ops.SyncMetrics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Whether, and after how long, a failed step of a run is tried again. The error handler asks it before every retry
 * ({@code retryWhile} in routes/error-handling.camel.yaml) and waits for the delay it sets.
 *
 * <ul>
 *   <li>Stripe: {@code Stripe-Should-Retry} decides when present; otherwise 429 and 5xx are retried, other 4xx
 *       never. {@code Retry-After} is honoured.</li>
 *   <li>Connection failures, connect and read timeouts, truncated or non-JSON pages: retried.</li>
 *   <li>Database: connection failures and other transient errors are retried; a rejected statement is not.</li>
 * </ul>
 * Delays grow exponentially from {@code initial-delay-ms} with jitter, capped at {@code max-delay-ms}; a step gives up
 * after {@code max-retries} retries or when the next wait would take its total past {@code max-total-wait-ms}.
 */
@Component("retryPolicy")
public class RetryPolicy {

    /** Exchange property: attempts made at the current step (1 before any retry). */
    public static final String ATTEMPTS = "syncStepAttempts";
    /** Exchange property: milliseconds the current step has waited between attempts. */
    public static final String WAITED_MS = "syncStepWaitedMs";

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final int maxRetries;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final long maxTotalWaitMs;

    private final SyncMetrics metrics;

    public RetryPolicy(SyncMetrics metrics,
                       @Value("${sync.retry.max-retries}") int maxRetries,
                       @Value("${sync.retry.initial-delay-ms}") long initialDelayMs,
                       @Value("${sync.retry.max-delay-ms}") long maxDelayMs,
                       @Value("${sync.retry.max-total-wait-ms}") long maxTotalWaitMs) {
        this.metrics = metrics;
        this.maxRetries = maxRetries;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.maxTotalWaitMs = maxTotalWaitMs;
    }

    /** Called by the error handler after each failed attempt; true means "wait the delay set here, then retry". */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        int attempts = exchange.getProperty(ATTEMPTS, 1, Integer.class);
        long waited = exchange.getProperty(WAITED_MS, 0L, Long.class);
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        if (!isRetryable(failure) || attempts > maxRetries || run != null && !run.goesOn()) {
            return false; // not worth it, no tries left, or the run already failed elsewhere or is stopping
        }
        Long retryAfter = retryAfterMs(failure);
        long delay = retryAfter != null ? retryAfter : backoffMs(attempts);
        if (waited + delay > maxTotalWaitMs) {
            log.warn("Sync run {}: giving up after {} attempts: the next wait ({} ms) would exceed "
                    + "SYNC_RETRY_MAX_TOTAL_WAIT_MS ({} ms)", runId(exchange), attempts, delay, maxTotalWaitMs);
            return false;
        }
        metrics.retried(causeOf(failure));
        exchange.setProperty(ATTEMPTS, attempts + 1);
        exchange.setProperty(WAITED_MS, waited + delay);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        log.warn("Sync run {}: attempt {} failed ({}); retry {} of {} in {} ms", runId(exchange), attempts,
                describe(failure), attempts, maxRetries, delay);
        return true;
    }

    /** Read by the route after a step that succeeded: the next step starts with a fresh retry budget. */
    public void stepDone(Exchange exchange) {
        stepSucceeded(exchange);
    }

    /** Forgets the attempts of the step that just succeeded. */
    public static void stepSucceeded(Exchange exchange) {
        exchange.removeProperty(ATTEMPTS);
        exchange.removeProperty(WAITED_MS);
    }

    static boolean isRetryable(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            String shouldRetry = header(http, "Stripe-Should-Retry");
            if (shouldRetry != null) {
                return Boolean.parseBoolean(shouldRetry.trim());
            }
            return http.getStatusCode() == 429 || http.getStatusCode() >= 500;
        }
        if (failure instanceof StripePage.MalformedStripePageException) {
            return true;
        }
        if (failure instanceof NonTransientDataAccessException) {
            return isTransient(failure.getCause());
        }
        if (failure instanceof DataAccessException) {
            return true;
        }
        if (failure instanceof SQLException) {
            return isTransient(failure);
        }
        // connection refused or reset, timeouts, truncated bodies, non-JSON bodies (Jackson's are IOExceptions)
        return failure instanceof IOException;
    }

    /** Connection errors (08), server shutting down or out of resources (57P, 53), serialization failures (40). */
    private static boolean isTransient(Throwable failure) {
        if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
            return failure instanceof SQLException;
        }
        String state = sql.getSQLState();
        return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("40");
    }

    private long backoffMs(int attempts) {
        long exponential = initialDelayMs << Math.min(attempts - 1, 20);
        long capped = Math.min(exponential, maxDelayMs);
        // jitter: between half and all of the capped delay, so instances retrying together spread out
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private static Long retryAfterMs(Throwable failure) {
        if (!(failure instanceof HttpOperationFailedException http)) {
            return null;
        }
        String retryAfter = header(http, "Retry-After");
        try {
            return retryAfter == null ? null : Math.max(0, (long) (Double.parseDouble(retryAfter.trim()) * 1000));
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }

    private static String header(HttpOperationFailedException http, String name) {
        if (http.getResponseHeaders() == null) {
            return null;
        }
        return http.getResponseHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String causeOf(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            return String.valueOf(http.getStatusCode());
        }
        if (failure instanceof StripePage.MalformedStripePageException
                || failure instanceof com.fasterxml.jackson.core.JacksonException) {
            return "malformed_page";
        }
        return failure instanceof SQLException || failure instanceof DataAccessException ? "database" : "io";
    }

    static String describe(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            String reason = header(http, "Stripe-Rate-Limited-Reason");
            return "Stripe HTTP " + http.getStatusCode() + (reason == null ? "" : ", rate limited: " + reason);
        }
        if (failure == null) {
            return "unknown failure";
        }
        String message = String.valueOf(failure.getMessage());
        int newline = message.indexOf('\n');
        return failure.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }

    private static Object runId(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        return run == null ? "(starting)" : run.getId();
    }
}
