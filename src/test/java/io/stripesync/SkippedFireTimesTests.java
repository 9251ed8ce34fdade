package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.ops.LastSuccessfulRun;
import io.stripesync.run.RunLifecycle;
import io.stripesync.run.SkippedFireTimes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A fire time of the schedule that finds a run in progress is recorded as skipped and made up once. Here the path
 * where the run it found has already ended when the fire time is recorded (it ended between the fire time's failed
 * lock and its record): the instance that recorded it makes it up at once. The schedule itself, across instances,
 * is in {@link SkippedFireTimesIntegrationTests}.
 */
class SkippedFireTimesTests extends SyncTestSupport {

    @Autowired
    private SkippedFireTimes skippedFireTimes;

    @Autowired
    private LastSuccessfulRun lastSuccessfulRun;

    @Test
    void aFireTimeRecordedAfterTheRunItFoundEndedIsMadeUpAtOnceAndOnlyOnce() throws Exception {
        STRIPE.catalogue().addGenerated(20);
        assertThat(triggerSync().statusCode()).isEqualTo(200);
        STRIPE.catalogue().addGenerated(3);
        Date fireTime = Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));

        skippedFireTimes.skipped(fireTime);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT count(*) FROM "
                + "stripe_sync_runs WHERE trigger = 'schedule' AND status = 'succeeded'", Integer.class) == 1);
        List<Map<String, Object>> runs = jdbc.queryForList("SELECT id, trigger, status, scheduled_for, "
                + "skipped_for_run_id, synced, error FROM stripe_sync_runs ORDER BY id");
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0)).containsEntry("trigger", "http").containsEntry("status", "succeeded");
        assertThat(runs.get(1)).containsEntry("trigger", "schedule").containsEntry("status", "skipped")
                .containsEntry("skipped_for_run_id", 1L).containsEntry("synced", 0)
                .containsEntry("error", "run 1 was in progress: a run follows when it ends");
        assertThat(runs.get(2)).containsEntry("trigger", "schedule").containsEntry("status", "succeeded")
                .containsEntry("skipped_for_run_id", null).containsEntry("synced", 3);
        assertThat(runs.subList(1, 3)).extracting(run -> ((Timestamp) run.get("scheduled_for")).toInstant())
                .containsOnly(fireTime.toInstant());

        // made up: looking again, or a make-up that got here late, starts nothing
        skippedFireTimes.makeUpIfOwed();
        camel.createProducerTemplate().send("direct:sync-run",
                exchange -> exchange.setProperty(SkippedFireTimes.MAKE_UP, true));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM stripe_sync_runs", Integer.class) == 3);

        // listed with the run it found; never a success, for the health check or anyone
        HttpResponse<String> listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/stripe-sync-products/runs")).header("Authorization", "Bearer "
                + API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.body()).contains("\"id\":2,\"kind\":\"walk\",\"trigger\":\"schedule\",\"requested_by\":null,\"status\":\"skipped\"")
                .contains("\"skipped_for_run_id\":1");
        lastSuccessfulRun.refresh();
        assertThat(lastSuccessfulRun.finishedAt()).contains(jdbc.queryForObject(
                "SELECT finished_at FROM stripe_sync_runs WHERE id = 3", Timestamp.class).toInstant());
    }

    @Test
    void aSkippedFireTimeIsMadeUpByTheNextRunWhateverStartsIt() throws Exception {
        STRIPE.catalogue().addGenerated(10);
        // a run in progress on another instance, as the schedule's fire time finds it: the lock held elsewhere
        try (var otherInstance = jdbc.getDataSource().getConnection()) {
            otherInstance.setAutoCommit(false);
            try (var lock = otherInstance.prepareStatement("SELECT pg_advisory_xact_lock(7303845721)")) {
                lock.execute();
            }
            jdbc.update("INSERT INTO stripe_sync_runs (trigger, status) VALUES ('http', 'running')");
            // the fire time, and the make-up it starts at once, which finds the lock held too
            NotifyBuilder bothRefused = new NotifyBuilder(camel).fromRoute("sync-run").whenDone(2).create();
            camel.createProducerTemplate().send("direct:sync-run", exchange -> {
                exchange.setProperty(RunLifecycle.TRIGGER, "schedule");
                exchange.setProperty(RunLifecycle.SCHEDULED_FOR, new Date());
            });
            assertThat(bothRefused.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jdbc.queryForList("SELECT status FROM stripe_sync_runs ORDER BY id", String.class))
                    .containsExactly("running", "skipped");
            otherInstance.rollback(); // that instance dies: its run never looks for skipped fire times
        }

        assertThat(triggerSync().body()).contains("\"success\":true").contains("\"synced\":10");

        // the HTTP run started after the fire time: it made it up, and nothing more follows
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM stripe_sync_runs", Integer.class) == 3);
        assertThat(jdbc.queryForList("SELECT trigger || ' ' || status FROM stripe_sync_runs ORDER BY id",
                String.class)).containsExactly("http interrupted", "schedule skipped", "http succeeded");
        skippedFireTimes.makeUpIfOwed();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM stripe_sync_runs", Integer.class) == 3);
    }
}
