package io.stripesync.events;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import io.stripesync.config.SyncSettings;
import io.stripesync.database.SyncSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where the events catch-up is, kept in the database (stripe_sync_cursors, row 'events') so that every instance
 * shares it: the newest event applied, and when the catch-up last read Stripe's events up to then.
 */
@Component("eventsCursor")
public class EventsCursor {

    /** A position: the newest event applied (null before the first), and when the catch-up last read events. */
    public record Position(String eventId, Instant eventCreated, Instant readAt) {
    }

    private static final String SELECT =
            "SELECT event_id, event_created, updated_at FROM {schema}.stripe_sync_cursors WHERE name = 'events'";
    private static final String UPSERT = """
            INSERT INTO {schema}.stripe_sync_cursors AS c (name, event_id, event_created, updated_at)
            VALUES ('events', ?, ?, now())
            ON CONFLICT (name) DO UPDATE
               SET event_id      = coalesce(EXCLUDED.event_id, c.event_id),
                   event_created = greatest(EXCLUDED.event_created, c.event_created),
                   updated_at    = now()""";

    private final JdbcTemplate jdbc;
    private final SyncSchema schema;
    private final Duration maxAge;

    public EventsCursor(JdbcTemplate jdbc, SyncSchema schema, SyncSettings settings) {
        this.jdbc = jdbc;
        this.schema = schema;
        this.maxAge = settings.events().maxAge();
    }

    public Optional<Position> position() {
        List<Position> rows = jdbc.query(schema.qualify(SELECT), (row, i) -> new Position(row.getString(1),
                instant(row.getTimestamp(2)), instant(row.getTimestamp(3))));
        return rows.stream().findFirst();
    }

    /** Read by the catch-up route: the events since the cursor cannot be trusted (Stripe keeps 30 days). */
    public boolean isTooOld() {
        return position().map(p -> p.readAt().isBefore(Instant.now().minus(maxAge))).orElse(false);
    }

    /** The cursor moves on to the newest event applied (or stays, when there was none), read now. */
    public void moveTo(String eventId, Instant eventCreated) {
        jdbc.update(schema.qualify(UPSERT), eventId, eventCreated == null ? null : Timestamp.from(eventCreated));
    }

    /**
     * Starts from this moment: what happened before is the walk's (the first catch-up starts from now; after a walk
     * that replaced a catch-up, from when that walk started, so that nothing it may have passed by is lost).
     */
    public void startFrom(Instant moment) {
        jdbc.update(schema.qualify("""
                INSERT INTO {schema}.stripe_sync_cursors (name, event_id, event_created, updated_at)
                VALUES ('events', NULL, ?, now())
                ON CONFLICT (name) DO UPDATE SET event_id = NULL, event_created = EXCLUDED.event_created,
                                                 updated_at = now()"""), Timestamp.from(moment));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
