package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Quartz trigger. The shared test context has the schedule off (route stopped, scheduler not started) with a
 * cron firing every two seconds; this test turns the schedule on only once the catalogue is in place.
 */
class ScheduledSyncTests extends SyncTestSupport {

    @Autowired
    private Scheduler scheduler;

    @Test
    void cronTriggerStartsARunThatLogsTheCatalogue() throws Exception {
        STRIPE.catalogue().addGenerated(120);

        camel.getRouteController().startRoute("trigger-on-schedule");
        scheduler.start();
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "SELECT count(*) FROM stripe_sync_runs WHERE trigger = 'schedule' AND status = 'succeeded' "
                            + "AND synced = 120 AND scheduled_for IS NOT NULL", Integer.class)).isEqualTo(1));
        } finally {
            scheduler.standby();
            camel.getRouteController().stopRoute("trigger-on-schedule");
        }
        assertThat(loggedCount()).isEqualTo(120);
        assertThat(STRIPE.productListRequests()).isNotEmpty();
    }
}
