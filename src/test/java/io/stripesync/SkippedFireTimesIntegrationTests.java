package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each fire time of the schedule runs at most once, and none is lost: with a long run in progress on one instance
 * (a slow Stripe), the fire times another instance takes meanwhile are recorded as skipped, and when the long run
 * ends one run, and one only, makes them all up, logging what Stripe gained after the long run started.
 */
class SkippedFireTimesIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    @AfterEach
    void fastAgain() {
        STRIPE.latencyMs(0);
        STRIPE.reset();
    }

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void fireTimesDuringAnotherInstancesRunAreSkippedAndMadeUpByOneRunWhenItEnds() throws Exception {
        STRIPE.catalogue().addGenerated(500);
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        // instance one: out of the schedule, runs a long walk (25 pages of 20, 600 ms each) as an HTTP call would
        try (ConfigurableApplicationContext manual = ServiceOnDatabase.start(db, STRIPE, "STRIPE_PAGE_SIZE=20")) {
            STRIPE.latencyMs(600);
            CompletableFuture<String> longRun = CompletableFuture.supplyAsync(() -> ServiceOnDatabase.sync(manual));
            await().atMost(Duration.ofSeconds(10)).until(() -> STRIPE.productListRequestCount() >= 2);
            // created after the long run read its first page: the walk, newest first, does not see them
            List<String> gainedDuringTheRun = STRIPE.catalogue().addGenerated(5);

            // instance two: the schedule, a fire time every two seconds, each finding the long run in progress
            ConfigurableApplicationContext scheduled = ServiceOnDatabase.start(db, STRIPE,
                    "SYNC_SCHEDULE_ENABLED=true", "SYNC_CRON=0/2 * * * * ?", "SYNC_CLUSTER_IDLE_WAIT_MS=1000",
                    "SYNC_CLUSTER_CHECKIN_INTERVAL_MS=1000");
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> skippedRows(db) >= 2);
                scheduled.getBean(Scheduler.class).standby(); // no more fire times: the test counts what follows
                assertThat(runs(db).get(0)).containsEntry("status", "running");
                STRIPE.latencyMs(0);

                assertThat(longRun.get()).contains("\"success\":true").contains("\"synced\":500");
                await().atMost(Duration.ofSeconds(15)).until(() -> runs(db).stream().anyMatch(run ->
                        "schedule".equals(run.get("trigger")) && "succeeded".equals(run.get("status"))));
                // and nothing more: one run made up every skipped fire time
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> runs(db).stream().noneMatch(run -> "running".equals(run.get("status"))));
            } finally {
                scheduled.close();
            }

            List<Map<String, Object>> runs = runs(db);
            Map<String, Object> longOne = runs.get(0);
            List<Map<String, Object>> skipped = runs.stream().filter(run -> "skipped".equals(run.get("status")))
                    .toList();
            List<Map<String, Object>> madeUp = runs.stream().filter(run -> "schedule".equals(run.get("trigger"))
                    && !"skipped".equals(run.get("status"))).toList();
            assertThat(longOne).containsEntry("trigger", "http").containsEntry("status", "succeeded");
            assertThat(runs).hasSize(1 + skipped.size() + 1);
            assertThat(skipped).hasSizeGreaterThanOrEqualTo(2).allSatisfy(row -> assertThat(row)
                    .containsEntry("trigger", "schedule").containsEntry("skipped_for_run_id", longOne.get("id"))
                    .containsEntry("error", "run " + longOne.get("id")
                            + " was in progress: a run follows when it ends"));
            List<Instant> fireTimes = skipped.stream().map(row -> instant(row, "scheduled_for")).toList();
            assertThat(fireTimes).doesNotHaveDuplicates()
                    .allMatch(fireTime -> fireTime.isAfter(instant(longOne, "started_at")));

            // the make-up: after the long run ended, for the newest skipped fire time, with what Stripe gained
            assertThat(madeUp).singleElement().satisfies(run -> {
                assertThat(run).containsEntry("status", "succeeded").containsEntry("synced", 5);
                assertThat(instant(run, "scheduled_for")).isEqualTo(fireTimes.stream().max(Instant::compareTo)
                        .orElseThrow());
                assertThat(instant(run, "started_at")).isAfterOrEqualTo(instant(longOne, "finished_at"));
            });
            assertThat(db.queryForList("SELECT stripe_product_id FROM stripe_products_log WHERE stripe_product_id "
                    + "= ANY (?)", String.class, (Object) gainedDuringTheRun.toArray(String[]::new)))
                    .containsExactlyInAnyOrderElementsOf(gainedDuringTheRun);
        }
    }

    private static List<Map<String, Object>> runs(JdbcTemplate db) {
        return db.queryForList("SELECT * FROM stripe_sync_runs ORDER BY id");
    }

    private static int skippedRows(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM stripe_sync_runs WHERE status = 'skipped'", Integer.class);
    }

    private static Instant instant(Map<String, Object> row, String column) {
        return ((Timestamp) row.get(column)).toInstant();
    }
}
