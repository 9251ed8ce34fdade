package io.stripesync.run;

import io.stripesync.database.SyncSchema;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/** A run's row in {@code stripe_sync_runs} and its set-aside products in {@code stripe_sync_failures}. */
@Component
public class RunRecords {

    private final JdbcTemplate jdbc;
    private final String closeAbandoned;
    private final String insert;
    private final String finish;
    private final String insertFailure;
    private final String forgetSeen;

    public RunRecords(JdbcTemplate jdbc, SyncSchema schema) {
        this.jdbc = jdbc;
        this.closeAbandoned = schema.statement("runs-close-abandoned.sql");
        this.insert = schema.statement("runs-insert.sql");
        this.finish = schema.statement("runs-finish.sql");
        this.insertFailure = schema.statement("failures-insert.sql");
        this.forgetSeen = schema.statement("seen-forget.sql");
    }

    /**
     * Marks runs of this kind whose process died as interrupted (call holding the run lock), and records a new
     * 'running' run; {@code requestedBy}: who asked over HTTP, or null.
     */
    long start(String kind, String trigger, Date scheduledFor, String requestedBy) {
        jdbc.update(closeAbandoned, kind);
        if (Run.WALK.equals(kind)) {
            jdbc.update(forgetSeen);
        }
        return jdbc.queryForObject(insert, Long.class, kind, trigger, new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                scheduledFor == null ? null : scheduledFor.toInstant().atOffset(ZoneOffset.UTC)),
                new SqlParameterValue(Types.VARCHAR, requestedBy));
    }

    void finish(Run run, String status, String error) {
        jdbc.update(finish, status, run.getPages(), run.getScanned(), run.getSynced(), run.getSkipped(),
                run.getFailed(), run.getChanged(), run.getDeleted(), run.getFiltered(), run.getAltered(), run.getEvents(), error, run.getId());
    }

    /** Products of one page set aside ({@code failure}) or logged altered ({@code warning}): {id, reason, raw} each. */
    void recordProblems(long runId, List<Object[]> products, String severity) {
        jdbc.batchUpdate(insertFailure, products.stream()
                .map(p -> new Object[] {runId, p[0], p[1], p[2], severity}).toList());
    }
}
