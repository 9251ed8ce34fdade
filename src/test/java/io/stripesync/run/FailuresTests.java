package io.stripesync.run;

import io.stripesync.config.TestSettings;
import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stripesync.config.Secrets;
import io.stripesync.ops.LastSuccessfulRun;
import io.stripesync.ops.SyncMetrics;
import io.stripesync.run.Failures.Failure;
import io.stripesync.standin.StripeStandIn;
import io.stripesync.walk.StripePage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which failures are worth another attempt, and what the operator is told about each. */
class FailuresTests {

    private static final String KEY = "sk_test_51Abcdefgh0123456789";
    private static final String MASKED_KEY = "sk_test_****6789";
    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // the last-run gauge reads the database only when scraped, and nothing here scrapes it
    private final SyncMetrics metrics = new SyncMetrics(registry, new LastSuccessfulRun(new JdbcTemplate(),
            new io.stripesync.database.SyncSchema(TestSettings.sync(java.util.Map.of()))));
    private final Failures failures = new Failures(metrics, TestSettings.secrets("a-token-of-sixteen-chars"),
            TestSettings.sync(java.util.Map.of("sync.retry.max-total-wait-ms", "120000")));

    @Test
    void rateLimitAndServerErrorsAreRetryable() {
        Failure rateLimited = failures.classify(stripe(429, Map.of("Stripe-Rate-Limited-Reason", "global-rate"),
                StripeStandIn.errorBody("invalid_request_error", "rate_limit", "Too many requests")), 3);
        assertThat(rateLimited).isEqualTo(new Failure(true, "429", 503,
                "Stripe rate limit: still HTTP 429 after 3 tries (rate limited: global-rate)"));

        for (int status : new int[] {500, 502, 503, 504}) {
            assertThat(failures.classify(stripe(status, Map.of(), ""), 1)).isEqualTo(new Failure(true,
                    String.valueOf(status), 503, "Stripe unavailable: HTTP " + status + " after 1 try"));
        }
    }

    @Test
    void stripeShouldRetryOverridesTheStatusBothWays() {
        assertThat(failures.classify(stripe(500, Map.of("Stripe-Should-Retry", "false"), ""), 1).retryable()).isFalse();
        assertThat(failures.classify(stripe(429, Map.of("Stripe-Should-Retry", "false"), ""), 1).retryable()).isFalse();
        assertThat(failures.classify(stripe(409, Map.of("Stripe-Should-Retry", "true"), ""), 1).retryable()).isTrue();
        // header names are case-insensitive in HTTP
        assertThat(failures.classify(stripe(400, Map.of("stripe-should-retry", " true "), ""), 1).retryable()).isTrue();
    }

    @Test
    void badRequestAndRejectedKeysAreNotRetried() {
        Failure badRequest = failures.classify(stripe(400, Map.of(), StripeStandIn.errorBody("invalid_request_error",
                "parameter_unknown", "Received unknown parameter: x")), 1);
        assertThat(badRequest).isEqualTo(new Failure(false, "400", 502,
                "Stripe rejected the request (HTTP 400): Received unknown parameter: x"));

        Failure unauthorized = failures.classify(stripe(401, Map.of(), StripeStandIn.errorBody("invalid_request_error",
                null, "Invalid API Key provided: " + MASKED_KEY)), 1);
        assertThat(unauthorized.retryable()).isFalse();
        assertThat(unauthorized.httpStatus()).isEqualTo(502);

        Failure forbidden = failures.classify(stripe(403, Map.of(), StripeStandIn.errorBody("invalid_request_error",
                null, "The provided key 'rk_test_****1234' does not have the required permissions")), 1);
        assertThat(forbidden.retryable()).isFalse();
        assertThat(forbidden.message()).contains("HTTP 403").contains("read access to Products")
                .contains("does not have the required permissions");
    }

    @Test
    void rejectedKeyMessagesNameTheMaskedKeyAndNeverTheKey() {
        // a Stripe (or a proxy) echoing the key whole in its body
        String echo = StripeStandIn.errorBody("invalid_request_error", null, "Invalid API Key provided: " + KEY);

        Failure unauthorized = failures.classify(stripe(401, Map.of(), echo), 1);
        Failure forbidden = failures.classify(stripe(403, Map.of(), ""), 1);

        assertThat(unauthorized.message()).isEqualTo(
                "Stripe rejected the API key " + MASKED_KEY + " (HTTP 401): check STRIPE_SECRET_KEY");
        assertThat(forbidden.message()).startsWith("Stripe refused access with key " + MASKED_KEY + " (HTTP 403)");
        assertThat(unauthorized.message() + forbidden.message()).doesNotContain(KEY);
    }

    @Test
    void malformedPagesAndUnparsableJsonAreRetryable() {
        Throwable truncated = catchThrowable(() -> JSON.readTree("{\"object\":\"list\",\"data\":[{\"id\":\"prod_"));
        Throwable html = catchThrowable(() -> JSON.readTree("<html>maintenance</html>"));
        Throwable malformed = catchThrowable(() -> new StripePage().check(new DefaultExchange(CAMEL)));

        for (Throwable failure : new Throwable[] {truncated, html, malformed}) {
            Failure sorted = failures.classify(failure, 2);
            assertThat(sorted.retryable()).as(failure.toString()).isTrue();
            assertThat(sorted.tag()).isEqualTo("malformed_page");
            assertThat(sorted.httpStatus()).isEqualTo(503);
            assertThat(sorted.message()).startsWith("Stripe returned a malformed page after 2 tries: ")
                    .doesNotContain("\n");
        }
        assertThat(failures.classify(malformed, 2).message()).endsWith("is not a Stripe list object");
    }

    @Test
    void connectionFailuresAndTimeoutsAreRetryable() {
        assertThat(failures.classify(new SocketTimeoutException("Read timed out"), 2)).isEqualTo(new Failure(true,
                "io", 503, "Stripe unreachable after 2 tries: SocketTimeoutException Read timed out"));
        assertThat(failures.classify(new ConnectException("Connection refused"), 1).retryable()).isTrue();
        assertThat(failures.classify(new IOException("Connection reset"), 1).retryable()).isTrue();
    }

    @Test
    void transientDatabaseFailuresAreRetryableAndRejectedStatementsAreNot() {
        // connection lost (08), server shutting down (57P), out of resources (53), serialization failure (40)
        for (String state : new String[] {"08006", "08001", "57P01", "53300", "40001", "40P01"}) {
            SQLException failure = new SQLException("failed", state);
            assertThat(failures.classify(failure, 1)).as(state).isEqualTo(new Failure(true, "database", 503,
                    "Database unreachable or failing after 1 try: failed"));
            assertThat(failures.classify(new UncategorizedSQLException("page", "INSERT", failure), 1).retryable())
                    .as("%s wrapped by Spring", state).isTrue();
        }
        // a statement the database rejects fails the same way every time
        for (String state : new String[] {"23505", "42P01", "42601", "22P02"}) {
            assertThat(failures.classify(new SQLException("rejected", state), 1).retryable()).as(state).isFalse();
            assertThat(failures.classify(new UncategorizedSQLException("page", "INSERT",
                    new SQLException("rejected", state)), 1).retryable()).as("%s wrapped by Spring", state).isFalse();
        }
        // no connection from the pool within SYNC_DB_CONNECT_TIMEOUT_MS, as Spring reports it: retried
        assertThat(failures.classify(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")), 1).retryable())
                .isTrue();
        assertThat(failures.classify(new QueryTimeoutException("statement timed out"), 1).retryable()).isTrue();
        assertThat(failures.classify(new BadSqlGrammarException("page", "SELEC", new SQLException("syntax", "42601")),
                1).retryable()).isFalse();
        assertThat(failures.classify(new DuplicateKeyException("duplicate"), 1).retryable()).isFalse();
        // the root cause's message, first line only
        assertThat(failures.classify(new UncategorizedSQLException("page", "INSERT",
                new SQLException("FATAL: terminating connection\n  Detail: admin command", "57P01")), 3).message())
                .isEqualTo("Database unreachable or failing after 3 tries: FATAL: terminating connection");
    }

    @Test
    void anUnknownFailureIsNotRetriedAndAnswers500() {
        Failure bug = failures.classify(new IllegalStateException("wrapped", new NullPointerException("no page")), 1);

        assertThat(bug).isEqualTo(new Failure(false, "other", 500, "Sync failed: NullPointerException no page"));
        assertThat(failures.classify((Throwable) null, 1))
                .isEqualTo(new Failure(false, "other", 500, "Sync failed: IllegalStateException unknown failure"));
    }

    @Test
    void retriesAfter429HonouringRetryAfter() {
        Exchange exchange = failedWith(stripe(429, Map.of("Retry-After", "2"), ""), 1);

        assertThat(failures.worthRetrying(exchange)).isTrue();

        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(2000L);
        assertThat(registry.get("stripe_sync_retries").tag("cause", "429").counter().count()).isEqualTo(1);
    }

    @Test
    void withoutRetryAfterThePolicysBackoffApplies() {
        Exchange exchange = failedWith(stripe(503, Map.of(), ""), 1);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 2000L);

        assertThat(failures.worthRetrying(exchange)).isTrue();

        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isNull();
        assertThat(registry.get("stripe_sync_retries").tag("cause", "503").counter().count()).isEqualTo(1);
    }

    @Test
    void noRetryForWhatIsNotWorthIt() {
        Run run = TestRuns.wholeCatalogue();
        Exchange rejected = failedWith(stripe(400, Map.of(), ""), 1);
        Exchange stopping = failedWith(stripe(503, Map.of(), ""), 1);
        stopping.setProperty(RunLifecycle.RUN, run);
        run.stopAtNextPage();
        Exchange tooLong = failedWith(stripe(429, Map.of("Retry-After", "121"), ""), 1);

        assertThat(failures.worthRetrying(rejected)).as("400").isFalse();
        assertThat(failures.worthRetrying(stopping)).as("the run is stopping").isFalse();
        assertThat(failures.worthRetrying(tooLong)).as("Retry-After beyond SYNC_RETRY_MAX_TOTAL_WAIT_MS").isFalse();
        assertThat(registry.find("stripe_sync_retries").counters()).isEmpty();
    }

    @Test
    void theFinalClassificationCountsTheAttemptsMade() {
        Exchange exchange = failedWith(stripe(503, Map.of(), ""), 1);
        failures.worthRetrying(exchange);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        failures.worthRetrying(exchange);

        assertThat(failures.classify(exchange).message()).isEqualTo("Stripe unavailable: HTTP 503 after 3 tries");
        // the next failing step starts counting afresh
        assertThat(failures.classify(exchange).message()).isEqualTo("Stripe unavailable: HTTP 503 after 1 try");
    }

    private static HttpOperationFailedException stripe(int status, Map<String, String> headers, String body) {
        return new HttpOperationFailedException("https://api.stripe.com/v1/products?limit=100", status, "status " + status,
                null, headers, body);
    }

    private static Exchange failedWith(Throwable failure, int redeliveryCounter) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, redeliveryCounter);
        return exchange;
    }
}
