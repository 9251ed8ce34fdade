package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The service through a transaction-mode pooler, as on Supabase's port 6543: a real PgBouncer with a pool of two
 * server connections in front of the test server, migrations on the direct connection (SYNC_MIGRATION_DATABASE_URL).
 * Skipped, saying so, where PgBouncer is not installed.
 */
class TransactionPoolerIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);
    private static final String TOKEN = "pooler-test-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @BeforeEach
    void pgBouncerInstalledAndAnEmptyCatalogue() {
        // per test, not per class: Surefire then counts each as skipped, with this message
        PgBouncer.assumeInstalled();
        STRIPE.reset();
    }

    /**
     * Flyway's lock is retried inside one open transaction: through a pool of two, the instance waiting for it holds a
     * server connection and the holder's migrations get none. Migrating on the direct connection, both start.
     */
    @Test
    void twoInstancesStartingTogetherOnAnEmptyDatabaseBothStart() throws Exception {
        STRIPE.catalogue().addGenerated(40);
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        String database = ServiceOnDatabase.databaseName(db);
        try (PgBouncer pooler = PgBouncer.start(2)) {
            String[] settings = {"spring.datasource.url=" + pooler.jdbcUrl(database),
                    "SYNC_MIGRATION_DATABASE_URL=" + directUrl(db)};
            // two Spring Boot applications starting at once in one JVM race to set up the shared logging system
            // ("Unable to find Spring Environment in logger context"): these two keep the one already set up
            System.setProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY,
                    org.springframework.boot.logging.LoggingSystem.NONE);
            CompletableFuture<ConfigurableApplicationContext> first =
                    CompletableFuture.supplyAsync(() -> ServiceOnDatabase.start(db, STRIPE, settings));
            CompletableFuture<ConfigurableApplicationContext> second =
                    CompletableFuture.supplyAsync(() -> ServiceOnDatabase.start(db, STRIPE, settings));
            try (ConfigurableApplicationContext one = first.get(); ConfigurableApplicationContext other = second.get()) {
                System.clearProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY);
                assertThat(ServiceOnDatabase.sync(one)).contains("\"success\":true").contains("\"synced\":40");
                STRIPE.catalogue().addGenerated(5);
                assertThat(ServiceOnDatabase.sync(other)).contains("\"success\":true").contains("\"synced\":5");
            } finally {
                System.clearProperty(org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY);
                closeQuietly(first);
                closeQuietly(second);
            }
        }
        // one migration each, by one of the two
        assertThat(db.queryForList("SELECT version FROM stripe_sync_schema_history WHERE success "
                + "AND version IS NOT NULL GROUP BY version HAVING count(*) > 1", String.class)).isEmpty();
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_sync_schema_history WHERE NOT success",
                Integer.class)).isZero();
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class)).isEqualTo(45);
    }

    /**
     * With SYNC_DB_SCHEMA=audit every statement names the schema, so a sync needs no search_path: no client of the
     * pool finds a search_path the service set, and a sync holds after the pooler replaced every server connection
     * (reloaded with server_lifetime = 1 s: each is closed once released and older).
     */
    @Test
    void aSyncInAnotherSchemaHoldsAfterThePoolerRecycledItsConnectionsAndLeavesNoSearchPathBehind() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(150);
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        String database = ServiceOnDatabase.databaseName(db);
        try (PgBouncer pooler = PgBouncer.start(2);
             ConfigurableApplicationContext service = startWithHttp(db, pooler.jdbcUrl(database),
                     "SYNC_DB_SCHEMA=audit", "SYNC_PRICES_ALL=true")) {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));

            HttpResponse<String> first = post(port, "/stripe-sync-products");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"synced\":150").contains("\"prices\":150");
            assertThat(searchPathsOfThePool(pooler, database)).containsOnly("\"$user\", public");

            // every server connection the pooler had is replaced
            List<Integer> before = serverConnections(db, database);
            assertThat(before).isNotEmpty();
            pooler.reload("server_lifetime = 1");
            await().atMost(Duration.ofSeconds(15)).until(() -> serverConnections(db, database).stream()
                    .noneMatch(before::contains));
            pooler.reload();

            // a product renamed and one deleted in Stripe, five new ones
            Map<String, Object> renamed = STRIPE.catalogue().all().stream()
                    .filter(p -> ids.get(10).equals(p.get("id"))).findFirst().orElseThrow();
            renamed.put("name", "Renamed in Stripe");
            renamed.put("updated", ((Number) renamed.get("updated")).longValue() + 60);
            STRIPE.catalogue().remove(ids.get(20));
            STRIPE.catalogue().addGenerated(5);

            HttpResponse<String> second = post(port, "/stripe-sync-products");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(second.body()).contains("\"synced\":5").contains("\"changed\":1").contains("\"deleted\":1");

            // the endpoints' statements too, each on whichever server connection is free
            for (String path : List.of("/stripe-sync-products/runs", "/stripe-sync-products/runs/2",
                    "/stripe-sync-products/stats", "/stripe-sync-products/drift?since=2020-01-01",
                    "/actuator/health")) {
                HttpResponse<String> answer = get(port, path);
                assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
            }
            assertThat(get(port, "/stripe-sync-products/runs").body()).contains("\"status\":\"succeeded\"");
            assertThat(searchPathsOfThePool(pooler, database)).containsOnly("\"$user\", public");
            // Quartz's statements name the schema too (its table prefix): this instance checked in
            assertThat(db.queryForObject("SELECT count(*) FROM audit.qrtz_scheduler_state", Integer.class)).isOne();
        }
        assertThat(db.queryForObject("SELECT count(*) FROM audit.stripe_products_log", Integer.class))
                .isEqualTo(155);
        assertThat(db.queryForList("SELECT status FROM audit.stripe_sync_runs ORDER BY id", String.class))
                .containsExactly("succeeded", "succeeded");
        assertThat(db.queryForObject("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", Integer.class))
                .isZero();
    }

    /** Backends of {@code database} on the test server: PgBouncer's server connections (the test's own aside). */
    private static List<Integer> serverConnections(JdbcTemplate db, String database) {
        return db.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()",
                Integer.class, database);
    }

    /** The search_path each server connection of the pool has: two transactions held open at once take both. */
    private static List<String> searchPathsOfThePool(PgBouncer pooler, String database) throws SQLException {
        List<String> paths = new ArrayList<>();
        try (Connection one = pooler.connect(database); Connection other = pooler.connect(database)) {
            one.setAutoCommit(false);
            other.setAutoCommit(false);
            for (Connection client : List.of(one, other)) {
                try (Statement statement = client.createStatement();
                     ResultSet path = statement.executeQuery("SHOW search_path")) {
                    path.next();
                    paths.add(path.getString(1));
                }
            }
            one.rollback();
            other.rollback();
        }
        return paths;
    }

    /** The whole service with its HTTP endpoints on a random port and the schedule on (its Quartz tables in use). */
    private static ConfigurableApplicationContext startWithHttp(JdbcTemplate db, String pooledUrl,
                                                                String... settings) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + pooledUrl, "spring.datasource.username=postgres",
                "SYNC_MIGRATION_DATABASE_URL=" + directUrl(db),
                "STRIPE_API_BASE_URL=" + STRIPE.baseUrl(), "STRIPE_SECRET_KEY=" + StripeStandIn.API_KEY,
                "SYNC_API_TOKEN=" + TOKEN, "SERVER_PORT=0",
                "SYNC_SCHEDULE_ENABLED=true", "SYNC_CRON=0 0 0 * * ?", "SYNC_CLUSTER_CHECKIN_INTERVAL_MS=1000",
                "SYNC_WALK_CONCURRENCY=1", "SYNC_WALK_MAX_REQUESTS_PER_SECOND=1000"));
        properties.addAll(List.of(settings));
        return new SpringApplicationBuilder(StripeSyncApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new)).run();
    }

    /** The test server itself, as Supabase's direct connection (port 5432) is given. */
    private static String directUrl(JdbcTemplate db) {
        return ((DriverManagerDataSource) db.getDataSource()).getUrl()
                .replace("jdbc:postgresql://", "postgresql://postgres@").replaceAll("\\?.*", "");
    }

    private static HttpResponse<String> post(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void closeQuietly(CompletableFuture<ConfigurableApplicationContext> service) {
        service.thenAccept(ConfigurableApplicationContext::close).exceptionally(failed -> null);
    }
}
