package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service stopped mid-run: one of its own on the test database and stand-in, so that the shared context goes on
 * and makes the next run on that database.
 */
class GracefulShutdownIntegrationTests extends SyncTestSupport {

    @Test
    void stoppingTheServiceMidRunEndsAtAPageBoundaryAndRecordsTheRunAsInterrupted() throws Exception {
        STRIPE.catalogue().addGenerated(2000);
        STRIPE.latencyMs(150);
        // sequential, so that "whole pages only" can be checked as synced == pages * 100
        ConfigurableApplicationContext service = ServiceOnDatabase.startOnTestDatabase(STRIPE,
                "SYNC_WALK_CONCURRENCY=1");
        CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> ServiceOnDatabase.sync(service));
        await().atMost(Duration.ofSeconds(20)).until(() -> loggedCount() >= 200);

        long closing = System.nanoTime();
        service.close();
        long closedMs = (System.nanoTime() - closing) / 1_000_000;

        String answer = run.get(10, TimeUnit.SECONDS);
        assertThat(answer).contains("\"success\":false").contains("interrupted");
        Map<String, Object> record = jdbc.queryForMap("SELECT * FROM stripe_sync_runs");
        assertThat(record).containsEntry("status", "interrupted");
        int logged = loggedCount();
        assertThat(logged).isLessThan(2000).isEqualTo((Integer) record.get("synced"))
                .isEqualTo((Integer) record.get("pages") * 100);
        assertThat(closedMs).as("stopped at the next page, not at the end of the walk").isLessThan(5000);

        // the next run on the database, by another instance, logs the rest
        assertThat(triggerSync().body()).contains("\"success\":true").contains("\"synced\":" + (2000 - logged));
        assertThat(loggedCount()).isEqualTo(2000);
    }
}
