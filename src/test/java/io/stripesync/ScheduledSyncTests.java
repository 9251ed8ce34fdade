package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Quartz trigger. The shared test context has the schedule off with a cron firing every two seconds; this test
 * starts the schedule route only once the catalogue is in place.
 */
class ScheduledSyncTests extends SyncTestSupport {

    @Test
    void cronTriggerStartsARunThatLogsTheCatalogue() throws Exception {
        STRIPE.catalogue().addGenerated(120);

        camel.getRouteController().startRoute("sync-on-schedule");
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "SELECT count(*) FROM stripe_sync_runs WHERE trigger = 'schedule' AND status = 'succeeded' "
                            + "AND synced = 120", Integer.class)).isEqualTo(1));
        } finally {
            camel.getRouteController().stopRoute("sync-on-schedule");
        }
        assertThat(loggedCount()).isEqualTo(120);
        assertThat(STRIPE.productListRequests()).isNotEmpty();
    }
}
