package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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

    private static Path dataDirectory;
    private static int port;
    private EmbeddedPostgres server;

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void databaseDownMidRunFailsClearlyAndTheNextRunCompletesWithoutDuplicates() throws Exception {
        dataDirectory = Files.createTempDirectory("outage-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startServer();
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(server.getJdbcUrl("postgres", "postgres")));
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
        server.close();
    }

    private void startServer() throws IOException {
        server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).start();
    }

    private static int logged(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class);
    }
}
