package io.stripesync.sync;

import java.io.IOException;
import java.sql.SQLException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.dao.DataAccessException;

/**
 * What an operator is told when a run fails, and the HTTP status the trigger answers with. The text names what
 * failed (Stripe rejected the key, Stripe unavailable after N tries, database unreachable); callers scrub secrets.
 */
record RunFailure(int httpStatus, String message) {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static RunFailure of(Throwable failure, int attempts, String maskedKey) {
        Throwable cause = rootOf(failure);
        String tries = attempts == 1 ? "1 try" : attempts + " tries";
        if (failure instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            return switch (status) {
                case 401 -> new RunFailure(502, "Stripe rejected the API key " + maskedKey
                        + " (HTTP 401): check STRIPE_SECRET_KEY");
                case 403 -> new RunFailure(502, "Stripe refused access with key " + maskedKey
                        + " (HTTP 403): a restricted key (rk_...) needs read access to Products");
                case 429 -> new RunFailure(503, "Stripe rate limit: still HTTP 429 after " + tries);
                default -> status >= 500
                        ? new RunFailure(503, "Stripe unavailable: HTTP " + status + " after " + tries)
                        : new RunFailure(502, "Stripe rejected the request (HTTP " + status + ")"
                                + stripeMessage(http));
            };
        }
        if (failure instanceof StripePage.MalformedStripePageException
                || failure instanceof com.fasterxml.jackson.core.JacksonException) {
            return new RunFailure(503, "Stripe returned a malformed page after " + tries + ": "
                    + firstLine(failure.getMessage()));
        }
        if (failure instanceof DataAccessException || failure instanceof SQLException) {
            return new RunFailure(503, "Database unreachable or failing after " + tries + ": "
                    + firstLine(cause.getMessage()));
        }
        if (failure instanceof IOException) {
            return new RunFailure(503, "Stripe unreachable after " + tries + ": "
                    + failure.getClass().getSimpleName() + " " + firstLine(failure.getMessage()));
        }
        return new RunFailure(500, "Sync failed: " + cause.getClass().getSimpleName() + " "
                + firstLine(cause.getMessage()));
    }

    private static String stripeMessage(HttpOperationFailedException http) {
        try {
            String message = JSON.readTree(http.getResponseBody()).path("error").path("message").asText("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (IOException | RuntimeException notStripeJson) {
            return "";
        }
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
        return newline < 0 ? message : message.substring(0, newline);
    }
}
