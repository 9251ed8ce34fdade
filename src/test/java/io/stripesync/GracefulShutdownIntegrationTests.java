package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

class GracefulShutdownIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void stoppingTheServiceMidRunEndsAtAPageBoundaryAndRecordsTheRunAsInterrupted() throws Exception {
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        STRIPE.catalogue().addGenerated(2000);
        STRIPE.latencyMs(150);
        // sequential, so that "whole pages only" can be checked as synced == pages * 100
        ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE, "SYNC_WALK_CONCURRENCY=1");
        CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> ServiceOnDatabase.sync(service));
        await().atMost(Duration.ofSeconds(20)).until(() -> logged(db) >= 200);

        long closing = System.nanoTime();
        service.close();
        long closedMs = (System.nanoTime() - closing) / 1_000_000;

        String answer = run.get(10, TimeUnit.SECONDS);
        assertThat(answer).contains("\"success\":false").contains("interrupted");
        Map<String, Object> record = db.queryForMap("SELECT * FROM stripe_sync_runs");
        assertThat(record).containsEntry("status", "interrupted");
        int logged = logged(db);
        assertThat(logged).isLessThan(2000).isEqualTo((Integer) record.get("synced"))
                .isEqualTo((Integer) record.get("pages") * 100);
        assertThat(closedMs).as("stopped at the next page, not at the end of the walk").isLessThan(5000);

        try (ConfigurableApplicationContext restarted = ServiceOnDatabase.start(db, STRIPE)) {
            assertThat(ServiceOnDatabase.sync(restarted)).contains("\"success\":true")
                    .contains("\"synced\":" + (2000 - logged));
        }
        assertThat(logged(db)).isEqualTo(2000);
    }

    private static int logged(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class);
    }
}
