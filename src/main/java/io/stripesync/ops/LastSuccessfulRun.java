package io.stripesync.ops;

import io.stripesync.database.SyncSchema;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When the last successful walk of the whole catalogue finished, on any replica: read from stripe_sync_runs, at most
 * every few seconds (the metrics scrape and the health check both ask). Events catch-ups do not count: they succeed
 * every few minutes while a broken walk would leave the log missing what no event told (their freshness is the events
 * cursor's).
 */
@Component
public class LastSuccessfulRun {

    private static final String SELECT =
            "SELECT max(finished_at) FROM {schema}.stripe_sync_runs WHERE kind = 'walk' AND status = 'succeeded'";
    private static final Duration CACHE_FOR = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final String select;
    private final Clock clock;
    private volatile Instant readAt = Instant.MIN;
    private volatile Optional<Instant> finishedAt = Optional.empty();

    public LastSuccessfulRun(JdbcTemplate jdbc, SyncSchema schema) {
        this.jdbc = jdbc;
        this.select = schema.qualify(SELECT);
        this.clock = Clock.systemUTC();
    }

    public Optional<Instant> finishedAt() {
        Instant now = clock.instant();
        if (readAt.plus(CACHE_FOR).isBefore(now)) {
            try {
                Timestamp last = jdbc.queryForObject(select, Timestamp.class);
                finishedAt = Optional.ofNullable(last).map(Timestamp::toInstant);
                readAt = now;
            } catch (DataAccessException unreachable) {
                // keep the last known value; the database health indicator reports the outage
            }
        }
        return finishedAt;
    }

    /** Forgets the cached value, so the next read sees a run that just ended. */
    public void refresh() {
        readAt = Instant.MIN;
    }
}
