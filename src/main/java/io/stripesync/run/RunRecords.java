package io.stripesync.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;

/** A run's row in {@code stripe_sync_runs} and its set-aside products in {@code stripe_sync_failures}. */
@Component
public class RunRecords {

    private final JdbcTemplate jdbc;
    private final String closeAbandoned = sql("runs-close-abandoned.sql");
    private final String insert = sql("runs-insert.sql");
    private final String finish = sql("runs-finish.sql");
    private final String insertFailure = sql("failures-insert.sql");

    public RunRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Marks runs whose process died as interrupted (call holding the run lock), and records a new 'running' run;
     * {@code requestedBy}: who asked over HTTP, or null.
     */
    long start(String trigger, Date scheduledFor, String requestedBy) {
        jdbc.update(closeAbandoned);
        return jdbc.queryForObject(insert, Long.class, trigger, new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                scheduledFor == null ? null : scheduledFor.toInstant().atOffset(ZoneOffset.UTC)),
                new SqlParameterValue(Types.VARCHAR, requestedBy));
    }

    void finish(Run run, String status, String error) {
        jdbc.update(finish, status, run.getPages(), run.getScanned(), run.getSynced(), run.getSkipped(),
                run.getFailed(), run.getChanged(), run.getDeleted(), run.getFiltered(), run.getAltered(), error, run.getId());
    }

    /** Products of one page set aside ({@code failure}) or logged altered ({@code warning}): {id, reason, raw} each. */
    void recordProblems(long runId, List<Object[]> products, String severity) {
        jdbc.batchUpdate(insertFailure, products.stream()
                .map(p -> new Object[] {runId, p[0], p[1], p[2], severity}).toList());
    }

    private static String sql(String file) {
        try {
            return StreamUtils.copyToString(new ClassPathResource("sql/" + file).getInputStream(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
