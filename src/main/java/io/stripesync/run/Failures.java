package io.stripesync.run;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.LogSafe;
import io.stripesync.config.Secrets;
import io.stripesync.config.SyncSettings;
import io.stripesync.ops.SyncMetrics;
import io.stripesync.walk.StripePage.MalformedStripePageException;
import java.io.IOException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Sorts a failure of a step once: whether it is worth retrying, its metric tag, the HTTP status the trigger answers
 * with, and what the operator is told. The redelivery policy itself (attempts, backoff, delays) is declared in
 * routes/error-handling.camel.yaml; its {@code retryWhile} asks {@link #worthRetrying}.
 *
 * <ul>
 *   <li>Stripe: {@code Stripe-Should-Retry} decides when present; otherwise 429 and 5xx are retried, other 4xx
 *       never. {@code Retry-After} sets the wait before the next attempt.</li>
 *   <li>Connection failures, connect and read timeouts, truncated, non-JSON or malformed pages: retried.</li>
 *   <li>Database: connection failures and other transient errors are retried; a rejected statement is not.</li>
 * </ul>
 */
@Component("failures")
public class Failures {

    /** One failure, sorted. {@code tag} labels stripe_sync_retries: a Stripe status, io, malformed_page, database. */
    public record Failure(boolean retryable, String tag, int httpStatus, String message) {
    }

    /** Exchange property: attempts made at the failing step once the one being decided on is made. */
    private static final String ATTEMPTS = "syncStepAttempts";
    /** Exchange property: when the step now failing first failed (its retries stop after max-total-wait-ms). */
    private static final String FAILING_SINCE = "syncStepFailingSince";

    private static final Logger log = LoggerFactory.getLogger(Failures.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncMetrics metrics;
    private final String maskedKey;
    private final long maxTotalWaitMs;

    public Failures(SyncMetrics metrics, Secrets secrets, SyncSettings settings) {
        this.metrics = metrics;
        this.maskedKey = secrets.maskedStripeKey();
        this.maxTotalWaitMs = settings.retry().maxTotalWaitMs();
    }

    /**
     * The error handler's {@code retryWhile}, asked after each failed attempt while attempts are left: true when
     * the failure is worth another attempt, the run goes on, and the step has not been failing for longer than
     * SYNC_RETRY_MAX_TOTAL_WAIT_MS (Stripe's Retry-After counted ahead). Stripe's Retry-After, when given, replaces
     * the policy's delay for this attempt.
     */
    public boolean worthRetrying(Exchange exchange) {
        Throwable cause = failureOf(exchange);
        int attempts = Math.max(1, exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
        exchange.setProperty(ATTEMPTS, attempts);
        Failure failure = classify(cause, attempts);
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        if (!failure.retryable() || run != null && !run.goesOn()) {
            return false; // not worth it, or the run already failed elsewhere or is stopping
        }
        long now = System.currentTimeMillis();
        if (attempts <= 1) {
            exchange.setProperty(FAILING_SINCE, now);
        }
        Long retryAfter = retryAfterMs(cause);
        long failingFor = now - exchange.getProperty(FAILING_SINCE, now, Long.class);
        if (failingFor + (retryAfter == null ? 0 : retryAfter) > maxTotalWaitMs) {
            log.warn("Sync run {}: giving up after {} attempts: the step has failed for {} ms, beyond "
                    + "SYNC_RETRY_MAX_TOTAL_WAIT_MS ({} ms)", runId(run), attempts, failingFor, maxTotalWaitMs);
            return false;
        }
        if (retryAfter != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, retryAfter);
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
        exchange.setProperty(ATTEMPTS, attempts + 1);
        metrics.retried(failure.tag());
        log.warn("Sync run {}: attempt {} failed ({}); retry {}{}", runId(run), attempts, failure.message(), attempts,
                retryAfter == null ? "" : " in " + retryAfter + " ms (Stripe's Retry-After)");
        return true;
    }

    /** The failure the error handler caught on this exchange, sorted, with the attempts made at its step. */
    public Failure classify(Exchange exchange) {
        Failure failure = classify(failureOf(exchange), attemptsOf(exchange));
        exchange.removeProperty(ATTEMPTS);
        exchange.removeProperty(FAILING_SINCE);
        return failure;
    }

    Failure classify(Throwable failure, int attempts) {
        String tries = attempts == 1 ? "1 try" : attempts + " tries";
        if (failure instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            String shouldRetry = header(http, "Stripe-Should-Retry");
            boolean retryable = shouldRetry != null ? Boolean.parseBoolean(shouldRetry.trim())
                    : status == 429 || status >= 500;
            String tag = String.valueOf(status);
            return switch (status) {
                case 401 -> new Failure(retryable, tag, 502,
                        "Stripe rejected the API key " + maskedKey
                        + " (HTTP 401): check STRIPE_SECRET_KEY");
                case 403 -> new Failure(retryable, tag, 502, "Stripe refused access with key " + maskedKey + " (HTTP 403)"
                        + missingPermission(http) + ": a restricted key (rk_...) needs read access to Products and "
                        + "Prices" + stripeMessage(http));
                case 429 -> new Failure(retryable, tag, 503, "Stripe rate limit: still HTTP 429 after " + tries
                        + rateLimitReason(http));
                default -> status >= 500
                        ? new Failure(retryable, tag, 503, "Stripe unavailable: HTTP " + status + " after " + tries)
                        : new Failure(retryable, tag, 502, "Stripe rejected the request (HTTP " + status + ")"
                                + stripeMessage(http));
            };
        }
        if (failure instanceof MalformedStripePageException || failure instanceof JacksonException) {
            return new Failure(true, "malformed_page", 503, "Stripe returned a malformed page after " + tries + ": "
                    + firstLine(failure.getMessage()));
        }
        if (failure instanceof DataAccessException || failure instanceof SQLException) {
            return new Failure(isTransientDatabaseFailure(failure), "database", 503,
                    "Database unreachable or failing after " + tries + ": " + firstLine(rootOf(failure).getMessage()));
        }
        if (failure instanceof IOException) {
            return new Failure(true, "io", 503, "Stripe unreachable after " + tries + ": "
                    + failure.getClass().getSimpleName() + " " + firstLine(failure.getMessage()));
        }
        Throwable cause = failure == null ? new IllegalStateException("unknown failure") : rootOf(failure);
        return new Failure(false, "other", 500, "Sync failed: " + cause.getClass().getSimpleName() + " "
                + firstLine(cause.getMessage()));
    }

    /** Connection errors (08), server shutting down or out of resources (57P, 53), serialization failures (40). */
    private static boolean isTransientDatabaseFailure(Throwable failure) {
        if (failure instanceof DataAccessException && !(failure instanceof NonTransientDataAccessException)) {
            return true;
        }
        Throwable cause = failure instanceof DataAccessException ? failure.getCause() : failure;
        if (!(cause instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || state.startsWith("40");
    }

    private static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return failure != null ? failure : exchange.getException();
    }

    /**
     * Attempts made at the step that failed for good: counted by {@link #worthRetrying} (the error handler asks it
     * until the policy's attempts run out, then no more), else this was its only attempt.
     */
    private static int attemptsOf(Exchange exchange) {
        return exchange.getProperty(ATTEMPTS, 1, Integer.class);
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

    private static String rateLimitReason(HttpOperationFailedException http) {
        String reason = header(http, "Stripe-Rate-Limited-Reason");
        return reason == null ? "" : " (rate limited: " + reason + ")";
    }

    /** Stripe names the permission a restricted key lacks: "Having the 'rak_product_read' permission would ...". */
    private static String missingPermission(HttpOperationFailedException http) {
        java.util.regex.Matcher permission = java.util.regex.Pattern.compile("'(rak_[a-z_]+)'")
                .matcher(String.valueOf(http.getResponseBody()));
        return permission.find() ? ", missing permission " + permission.group(1) : "";
    }

    private static String stripeMessage(HttpOperationFailedException http) {
        try {
            String message = JSON.readTree(http.getResponseBody()).path("error").path("message").asText("");
            return message.isEmpty() ? "" : ": " + LogSafe.text(message);
        } catch (IOException | RuntimeException notStripeJson) {
            return "";
        }
    }

    private static String header(HttpOperationFailedException http, String name) {
        if (http.getResponseHeaders() == null) {
            return null;
        }
        return http.getResponseHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return LogSafe.text(newline < 0 ? message : message.substring(0, newline));
    }

    private static Object runId(Run run) {
        return run == null ? "(starting)" : run.getId();
    }
}
