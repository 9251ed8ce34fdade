package io.stripesync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.config.SyncSettings;
import io.stripesync.config.TestSettings;
import io.stripesync.database.SyncSchema;
import io.stripesync.events.EventsCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/** Freshness: the walk's last success within SYNC_HEALTH_MAX_AGE, and the catch-up's last read of events. */
class SyncFreshnessHealthIndicatorTests {

    private static final Instant NOW = Instant.now();

    @Test
    void aCatchUpThatStoppedReadingEventsTakesTheServiceOutOfServiceWhileEventsAreOn() {
        Instant recentWalk = NOW.minus(Duration.ofHours(2));

        assertThat(health(recentWalk, NOW.minus(Duration.ofMinutes(5)), true).getStatus()).isEqualTo(Status.UP);
        assertThat(health(recentWalk, NOW.minus(Duration.ofHours(2)), true).getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
        // with the catch-up off, only the walk counts
        assertThat(health(recentWalk, NOW.minus(Duration.ofHours(2)), false).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aWalkOlderThanTheMaxAgeTakesTheServiceOutOfService() {
        assertThat(health(NOW.minus(Duration.ofHours(27)), NOW, true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health(NOW.minus(Duration.ofHours(27)), NOW, true).getDetails())
                .containsKeys("lastSuccessfulRun", "eventsReadAt");
    }

    private static org.springframework.boot.actuate.health.Health health(Instant lastWalk, Instant eventsReadAt,
                                                                         boolean eventsOn) {
        SyncSettings settings = TestSettings.sync(Map.of("sync.schedule.enabled", "true",
                "sync.events.enabled", String.valueOf(eventsOn)));
        LastSuccessfulRun walk = new LastSuccessfulRun(new JdbcTemplate(), new SyncSchema(settings)) {
            @Override
            public Optional<Instant> finishedAt() {
                return Optional.of(lastWalk);
            }
        };
        EventsCursor cursor = new EventsCursor(new JdbcTemplate(), new SyncSchema(settings), settings) {
            @Override
            public Optional<Position> position() {
                return Optional.of(new Position("evt_1", eventsReadAt, eventsReadAt));
            }
        };
        return new SyncFreshnessHealthIndicator(walk, cursor, settings).health();
    }
}
