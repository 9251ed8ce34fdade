package io.stripesync.run;

import io.stripesync.config.Secrets;
import io.stripesync.database.SyncSchema;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.stripesync.config.SyncSettings;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/**
 * Each fire time of the schedule runs at most once, and none is lost. A fire time that finds a run in progress (the
 * run lock held, here or on another instance) is recorded as a 'skipped' run naming that run; once that run ends,
 * one run more makes up every fire time skipped meanwhile (coalesced: never more than one queued).
 *
 * <p>Who starts it: the instance whose run ends, after releasing the lock ({@link #makeUpIfOwed}). A fire time
 * recorded after that run's end looked (the run ended between the fire time's failed lock and its record) is made up
 * by the instance that recorded it, which looks once more after recording. If another run holds the lock then, that
 * run either started after the fire time (it makes it up) or is the run it was skipped for (it looks when it ends,
 * and finds the record). The make-up run checks under the lock that the fire time is still owed, so two instances
 * looking at once start at most one run. An instance with the schedule on also looks at start-up: a run whose
 * instance stopped or died before looking leaves its skipped fire times to the next run, or to that start-up.
 */
@Component
public class SkippedFireTimes {

    /** Exchange property: this run makes up skipped fire times (started when a run ended, not by Quartz). */
    public static final String MAKE_UP = "syncMakesUpSkippedFireTimes";

    private static final Logger log = LoggerFactory.getLogger(SkippedFireTimes.class);

    private final JdbcTemplate jdbc;
    private final ProducerTemplate camel;
    private final String skip;
    private final String owed;
    private final boolean scheduleEnabled;
    private final Secrets secrets;

    public SkippedFireTimes(JdbcTemplate jdbc, SyncSchema schema, ProducerTemplate camel,
                            SyncSettings settings, Secrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.camel = camel;
        this.skip = schema.statement("runs-skip.sql");
        this.owed = schema.statement("runs-owed-fire-time.sql");
        this.scheduleEnabled = settings.schedule().enabled();
    }

    /** A fire time found the lock held: recorded as skipped, then made up at once if that run ended meanwhile. */
    public void skipped(Date fireTime) {
        try {
            Map<String, Object> row = jdbc.queryForMap(skip, new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                    fireTime.toInstant().atOffset(ZoneOffset.UTC)));
            log.info("Sync not started (trigger: schedule, fire time {}): run {} was in progress; recorded as skipped "
                    + "(run {}), a run follows when it ends", fireTime.toInstant(), row.get("skipped_for_run_id"),
                    row.get("id"));
            makeUpIfOwed();
        } catch (DataAccessException e) {
            log.warn("Sync not started (trigger: schedule, fire time {}): another run is in progress, and the "
                    + "skipped fire time could not be recorded: {}", fireTime.toInstant(),
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        }
    }

    /** Starts, in the background, one run for the fire times skipped and not yet made up, if there are any. */
    public void makeUpIfOwed() {
        Date fireTime = owedFireTime();
        if (fireTime != null) {
            camel.asyncSend("direct:sync-run", exchange -> {
                exchange.setProperty(RunLifecycle.TRIGGER, "schedule");
                exchange.setProperty(MAKE_UP, true);
            });
        }
    }

    /** The newest fire time skipped and not yet made up by a run, or null. Asked under the run lock to start one. */
    Date owedFireTime() {
        return jdbc.query(owed, rows -> rows.next() ? new Date(rows.getTimestamp(1).getTime()) : null);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void makeUpAtStartUp() {
        if (!scheduleEnabled) {
            return;
        }
        try {
            makeUpIfOwed();
        } catch (DataAccessException e) {
            log.warn("Could not look for skipped fire times to make up: {}",
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        }
    }
}
