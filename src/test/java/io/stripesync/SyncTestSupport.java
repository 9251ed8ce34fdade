package io.stripesync;

import io.stripesync.standin.StripeStandIn;
import io.stripesync.web.FailedLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole service against a real PostgreSQL and the Stripe stand-in. Every test class extending this shares one
 * Spring context (same settings), one database and one stand-in; each test starts from an empty log and catalogue.
 * A test that needs other settings, or a service to stop, starts one of its own on the same database and stand-in
 * ({@link ServiceOnDatabase#startOnTestDatabase}) rather than a second cached context.
 */
@CamelSpringBootTest
@AutoConfigureObservability // Spring Boot tests switch metrics export off otherwise: /actuator/prometheus is tested
@SpringBootTest(classes = StripeSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
        "sync.api-token=" + SyncTestSupport.API_TOKEN,
        "sync.read-token=" + SyncTestSupport.READ_TOKEN,
        // slow and silent requests are cut sooner than in production (10 s, 5 s): HostileTrafficTests wait for them
        "sync.http.body-timeout=3s",
        "server.tomcat.connection-timeout=2s",
        "sync.schedule.enabled=false",
        "sync.cron=0/2 * * * * ?",
        "sync.retry.max-retries=3",
        "sync.retry.initial-delay-ms=50",
        "sync.retry.max-delay-ms=200",
        "stripe.read-timeout-ms=1000",
        // the sequential walk, whose requests tests can count exactly (ParallelWalkIntegrationTests starts its own)
        "sync.walk.concurrency=1",
        "sync.walk.max-requests-per-second=1000",
        // two webhook secrets, as during a roll
        "stripe.webhook-secret=" + SyncTestSupport.WEBHOOK_SECRET + "," + SyncTestSupport.WEBHOOK_SECRET_2})
public abstract class SyncTestSupport {

    protected static final String API_TOKEN = "test-token-0123456789abcdef";
    protected static final String READ_TOKEN = "read-only-token-9876543210";
    protected static final String DATABASE_PASSWORD = "db-Passw0rd-never-shown";
    protected static final String WEBHOOK_SECRET = "whsec_test_0123456789abcdefFirst";
    protected static final String WEBHOOK_SECRET_2 = "whsec_test_0123456789abcdefSecond";
    protected static final StripeStandIn STRIPE = StripeStandIn.start(0);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected CamelContext camel;

    @Autowired
    private FailedLogins failedLogins;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        // the test server trusts local connections; the password is there to prove it never leaks
        registry.add("spring.datasource.password", () -> DATABASE_PASSWORD);
        registry.add("stripe.api-base-url", STRIPE::baseUrl);
        registry.add("stripe.secret-key", () -> StripeStandIn.API_KEY);
    }

    @BeforeEach
    void startEmpty() {
        emptyTheLog();
        STRIPE.reset();
        failedLogins.clear(); // wrong tokens sent by earlier tests do not count against this one's address
    }

    /** Empties the log, its history and the run records: the database as a first run finds it. */
    protected void emptyTheLog() {
        jdbc.execute("TRUNCATE stripe_products_log, stripe_sync_runs, stripe_sync_failures, stripe_product_changes, "
                + "stripe_prices_log, stripe_sync_cursors, stripe_events_log RESTART IDENTITY");
    }

    protected HttpResponse<String> post(String path, String token) throws Exception {
        return send("POST", path, token);
    }

    /** GET from this service, with the token when given. */
    protected HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token);
    }

    /**
     * A request to this service (POST with the JSON body {@code {}}, others without a body), with the token when
     * given and any other {@code headers} (name, value, name, value, ...).
     */
    protected HttpResponse<String> send(String method, String path, String token, String... headers)
            throws Exception {
        boolean post = "POST".equals(method);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(java.time.Duration.ofSeconds(10)).method(method, post
                        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (post) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> triggerSync() throws Exception {
        return post("/stripe-sync-products", API_TOKEN);
    }

    /** Triggers a sync from another thread, for tests that act while it runs. */
    protected CompletableFuture<HttpResponse<String>> triggerSyncInBackground(Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return triggerSync();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor);
    }

    protected CompletableFuture<HttpResponse<String>> triggerSyncInBackground() {
        return triggerSyncInBackground(ForkJoinPool.commonPool());
    }

    protected int loggedCount() {
        return jdbc.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class);
    }

    protected Map<String, Object> lastRun() {
        return jdbc.queryForMap("SELECT * FROM stripe_sync_runs ORDER BY id DESC LIMIT 1");
    }
}
