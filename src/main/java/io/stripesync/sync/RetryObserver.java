package io.stripesync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Called by the error handler before each retry of a step: logs the retry for operators (status, Stripe's
 * rate-limit reason, attempt) and keeps the attempt number where the run's failure message can read it.
 */
@Component("retryObserver")
public class RetryObserver implements Processor {

    /** Exchange property: attempts made at the current step, when more than one. */
    public static final String ATTEMPTS = "syncStepAttempts";

    private static final Logger log = LoggerFactory.getLogger(RetryObserver.class);

    @Override
    public void process(Exchange exchange) {
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        int maxRetries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        exchange.setProperty(ATTEMPTS, retry + 1);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        log.warn("Sync run {}: retry {} of {} after {}", run == null ? "(starting)" : run.getId(), retry, maxRetries,
                describe(failure));
    }

    private static String describe(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            String reason = http.getResponseHeaders() == null ? null
                    : http.getResponseHeaders().get("Stripe-Rate-Limited-Reason");
            return "Stripe HTTP " + http.getStatusCode() + (reason == null ? "" : " (" + reason + ")");
        }
        return failure == null ? "a failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
