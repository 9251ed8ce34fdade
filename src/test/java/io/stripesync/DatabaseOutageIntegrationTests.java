package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database goes away, for real: a PostgreSQL server of this test's own is stopped during a run and at the start
 * of one, then started again on the same data. Runs fail clearly; the next run after it returns completes, with no
 * duplicate and no gap.
 */
class DatabaseOutageIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    private Path dataDirectory;
    private int port;
    private EmbeddedPostgres server;
    private JdbcTemplate db;

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    /** Stopped here too, so that a failing test leaves no server behind (stopping a stopped one does nothing). */
    @AfterEach
    void stopOwnServer() throws IOException {
    }

    /** A PostgreSQL server of the test's own, on a fixed port and data directory, so that it can stop and return. */
    @BeforeEach
    void startOwnServer() throws IOException {
        STRIPE.reset();
        dataDirectory = Files.createTempDirectory("outage-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startServer();
        db = new JdbcTemplate(new DriverManagerDataSource(server.getJdbcUrl("postgres", "postgres")));
    }

    @Test
    void databaseDownMidRunFailsClearlyAndTheNextRunCompletesWithoutDuplicates() throws Exception {
        STRIPE.catalogue().addGenerated(1000);
        STRIPE.latencyMs(150);

        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE, "SYNC_RETRY_MAX_RETRIES=5",
                "SYNC_RETRY_INITIAL_DELAY_MS=200", "SYNC_RETRY_MAX_DELAY_MS=1000", "SYNC_DB_CONNECT_TIMEOUT_MS=1000")) {
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> ServiceOnDatabase.sync(service));
            await().atMost(Duration.ofSeconds(20)).until(() -> logged(db) >= 300);
            server.close(); // the database stops mid-run

            String failed = run.get(60, TimeUnit.SECONDS);
            assertThat(failed).contains("\"success\":false").contains("Database unreachable");

            // unreachable at the start of a run: a clear failure, nothing else
            assertThat(ServiceOnDatabase.sync(service)).contains("\"success\":false").contains("Database unreachable");

            startServer(); // the database is back, with everything committed before it went
            int loggedBefore = logged(db);
            assertThat(loggedBefore % 100).as("whole pages only").isZero();

            String next = ServiceOnDatabase.sync(service);
            assertThat(next).contains("\"success\":true").contains("\"synced\":" + (1000 - loggedBefore));
        }
        assertThat(logged(db)).isEqualTo(1000);
        assertThat(db.queryForObject("SELECT count(DISTINCT stripe_product_id) FROM stripe_products_log", Integer.class))
                .isEqualTo(1000);
        // the run cut off by the outage could not record its failure then; the next run closed it as interrupted
        assertThat(db.queryForList("SELECT status FROM stripe_sync_runs ORDER BY id", String.class))
                .containsExactly("interrupted", "succeeded");
    }

    @Test
    void whileTheDatabaseIsDownTheReportsAnswer503AndSayNothingOfTheFailure() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        String token = "outage-test-token-0123456789abcdef";
        String[] reports = {"/runs", "/runs/1", "/stats", "/drift?since=2025-01-01", "/overview", "/timeline",
                "/logged-per-day", "/changes"};

        try (ConfigurableApplicationContext service = ServiceOnDatabase.startWeb(db, STRIPE, "SYNC_API_TOKEN=" + token,
                "SYNC_DB_CONNECT_TIMEOUT_MS=1000")) {
            int web = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
            assertThat(ServiceOnDatabase.sync(service)).contains("\"success\":true");
            for (String report : reports) {
                assertThat(ServiceOnDatabase.get(web, "/stripe-sync-products" + report, token).statusCode())
                        .as(report).isEqualTo(200);
            }
            server.close();

            for (String report : reports) {
                HttpResponse<String> answer = ServiceOnDatabase.get(web, "/stripe-sync-products" + report, token);
                // the caller learns that the database failed, not how: no exception, no host, no SQL
                assertThat(answer.statusCode()).as(report).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type")).as(report).hasValue("application/json");
                assertThat(answer.body()).as(report)
                        .isEqualTo("{\"success\":false,\"error\":\"the report could not be read from the database\"}");
            }
            // the status page itself is a static file
            assertThat(ServiceOnDatabase.get(web, "/", null).statusCode()).isEqualTo(200);

            startServer(); // and the reports answer again once the pool has its connections back
            await().atMost(Duration.ofSeconds(20)).until(() -> ServiceOnDatabase.get(web, "/stripe-sync-products/runs",
                    token).statusCode() == 200);
        }
    }

    private void startServer() throws IOException {
        server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).start();
    }

    private static int logged(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class);
    }
}
