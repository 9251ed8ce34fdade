package io.stripesync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.stripesync.ops.LastSuccessfulRun;
import io.stripesync.ops.SyncMetrics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/**
 * The life of a run, called by the sync route at its start, after each page and at its end: one run at a time
 * across every instance, a row in {@code stripe_sync_runs}, the operator's log lines, and the JSON answer of the
 * trigger endpoint.
 *
 * <p>One run at a time: a transaction-scoped PostgreSQL advisory lock, taken in a transaction kept open on a
 * dedicated connection for the whole run. Transaction-scoped (not session-scoped) so it also holds through a
 * transaction-mode pooler such as Supabase's on port 6543, which pins a server connection only for a transaction's
 * length. It is released when the run ends, and by the server when the connection or the process dies.
 */
@Component("syncRuns")
public class SyncRuns {

    /** Exchange property holding the {@link SyncRun} of the exchange. */
    public static final String RUN = "syncRun";
    /** Exchange property naming what started the run, when the trigger route's endpoint does not say it. */
    public static final String TRIGGER = "syncTrigger";
    /** Exchange property holding the Stripe page being logged. */
    public static final String PAGE = "stripePage";
    /** Exchange property set by the schedule route: the cron fire time the run is for. */
    public static final String SCHEDULED_FOR = "syncScheduledFor";

    /** MDC key of the run id, on every log line of a run (structured logs carry it as a field). */
    public static final String MDC_RUN_ID = "runId";
    /** Exchange properties of the page being logged: the products it set aside, and how many it filtered out. */
    static final String PAGE_SET_ASIDE = "stripePageSetAside";
    static final String PAGE_FILTERED = "stripePageFiltered";
    /** Exchange property the route sets to the page statement's answer: synced and changed. */
    public static final String PAGE_WRITTEN = "stripePageWritten";

    private static final Logger log = LoggerFactory.getLogger(SyncRuns.class);

    private static final String CLOSE_ABANDONED = """
            UPDATE stripe_sync_runs SET status = 'interrupted', finished_at = now(),
                   error = 'the process running it stopped before the run finished'
             WHERE status = 'running'""";
    private static final String INSERT_RUN =
            "INSERT INTO stripe_sync_runs (trigger, status, scheduled_for) VALUES (?, 'running', ?) RETURNING id";
    private static final String FINISH_RUN = """
            UPDATE stripe_sync_runs
               SET status = ?, finished_at = now(), pages = ?, scanned = ?, synced = ?, skipped = ?, failed = ?,
                   changed = ?, deleted = ?, filtered = ?, error = ?
             WHERE id = ?""";
    private static final String EXPAND_DEFAULT_PRICE = "&" + ProductFilter.encode("expand[]") + "=data.default_price";
    private static final String INSERT_FAILURE =
            "INSERT INTO stripe_sync_failures (run_id, stripe_product_id, reason, raw) VALUES (?, ?, ?, ?)";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Secrets secrets;
    private final long lockKey;
    private final int progressEveryPages;
    private final ProductFilter productFilter;
    private final boolean withPrices;
    private final boolean livemode;
    private final Set<SyncRun> active = ConcurrentHashMap.newKeySet();
    private final SyncMetrics metrics;
    private final SyncWindows windows;
    private final LastSuccessfulRun lastSuccessfulRun;

    public SyncRuns(DataSource dataSource, JdbcTemplate jdbc, ObjectMapper json, Secrets secrets,
                    SyncMetrics metrics, LastSuccessfulRun lastSuccessfulRun, SyncWindows windows,
                    ProductFilter productFilter,
                    @Value("${sync.lock-key}") long lockKey,
                    @Value("${sync.progress-every-pages}") int progressEveryPages,
                    @Value("${sync.prices.enabled}") boolean withPrices,
                    @Value("${stripe.secret-key}") String stripeKey) {
        this.metrics = metrics;
        this.windows = windows;
        this.lastSuccessfulRun = lastSuccessfulRun;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.json = json;
        this.secrets = secrets;
        this.productFilter = productFilter;
        this.lockKey = lockKey;
        this.progressEveryPages = progressEveryPages;
        this.withPrices = withPrices;
        this.livemode = stripeKey.contains("_live_");
    }

    /** Takes the cluster-wide lock (or throws {@link SyncAlreadyRunningException}) and records a 'running' run. */
    public void begin(Exchange exchange) throws SQLException {
        String trigger = triggerOf(exchange);
        Connection lock = dataSource.getConnection();
        try {
            if (!tryLock(lock)) {
                throw new SyncAlreadyRunningException();
            }
            // holding the lock, no run can be in progress: a 'running' row is one whose process died
            jdbc.update(CLOSE_ABANDONED);
            Long id = jdbc.queryForObject(INSERT_RUN, Long.class, trigger, scheduledFor(exchange));
            // the product walk's query: the filters Stripe applies itself, and each default price inline (no request)
            String productParams = productFilter.stripeParams() + (withPrices ? EXPAND_DEFAULT_PRICE : "");
            SyncRun run = new SyncRun(id, trigger, lock, productParams, productFilter.createdFromSeconds(),
                    productFilter.createdUntilSeconds(), !productFilter.narrowsWalk(), livemode);
            active.add(run);
            exchange.setProperty(RUN, run);
            MDC.put(MDC_RUN_ID, String.valueOf(id));
            log.info("Sync run {} started (trigger: {})", id, trigger);
        } catch (RuntimeException | SQLException e) {
            release(lock);
            throw e;
        }
    }

    /** Counts a page whose products are now logged (inserted, or compared and updated), and moves the cursor. */
    @SuppressWarnings("unchecked")
    public void pageLogged(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Map<?, ?> page = exchange.getProperty(PAGE, Map.class);
        Map<?, ?> written = exchange.getProperty(PAGE_WRITTEN, Map.class);
        exchange.removeProperty(PAGE_WRITTEN);
        RetryPolicy.stepSucceeded(exchange);
        List<String> ids = ((List<?>) page.get("data")).stream()
                .map(p -> p instanceof Map<?, ?> product && product.get("id") instanceof String id ? id : null)
                .toList();
        List<Object[]> setAside = exchange.getProperty(PAGE_SET_ASIDE, List.class);
        if (!setAside.isEmpty()) {
            jdbc.batchUpdate(INSERT_FAILURE, setAside);
        }
        run.pageLogged(ids, count(written, "synced"), count(written, "changed"), setAside.size(),
                exchange.getProperty(PAGE_FILTERED, AtomicInteger.class).get());
        exchange.getProperty(SyncWindows.WINDOW, SyncWindow.class)
                .pageLogged((Boolean) page.get("has_more"), StripePage.lastId(page));
        int pages = run.getPages();
        if (pages % progressEveryPages == 0) {
            log.info("Sync run {}: {} pages, {} products scanned, {} synced, {} changed so far",
                    run.getId(), pages, run.getScanned(), run.getSynced(), run.getChanged());
        }
    }

    /** Counts a product that the filter settings or the team's rule left out; added to the run with its page. */
    public void productFiltered(Exchange exchange) {
        exchange.getProperty(PAGE_FILTERED, AtomicInteger.class).incrementAndGet();
    }

    /** Read by the route before it marks deletions: every product id the walk saw (bound as a text[]). */
    public String[] seenIds(Exchange exchange) {
        return exchange.getProperty(RUN, SyncRun.class).seenIds().toArray(String[]::new);
    }

    /** Counts the products the complete walk found deleted (the statement's answer is the body). */
    public void deletedMarked(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        RetryPolicy.stepSucceeded(exchange);
        run.deletedMarked(exchange.getMessage().getBody(Integer.class));
        if (run.getDeleted() > 0) {
            log.info("Sync run {}: {} logged product(s) no longer in Stripe, marked deleted", run.getId(),
                    run.getDeleted());
        }
    }

    /** The product walk is done: the optional walk of every price starts from the first page of GET /v1/prices. */
    public void startPricesWalk(Exchange exchange) {
        exchange.setProperty(SyncWindows.WINDOW, SyncWindow.prices(exchange.getProperty(RUN, SyncRun.class)));
    }

    /** Counts a page of prices now logged, and moves the cursor past it. */
    public void pricesPageLogged(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        Map<?, ?> page = exchange.getProperty(PAGE, Map.class);
        int written = exchange.getMessage().getHeader("CamelJdbcUpdateCount", 0, Integer.class);
        exchange.getMessage().removeHeader("CamelJdbcUpdateCount");
        RetryPolicy.stepSucceeded(exchange);
        run.pricesPageLogged(written);
        exchange.getProperty(SyncWindows.WINDOW, SyncWindow.class)
                .pageLogged((Boolean) page.get("has_more"), StripePage.lastId(page));
    }

    private static int count(Map<?, ?> written, String name) {
        return written != null && written.get(name) instanceof Number n ? n.intValue() : 0;
    }

    /**
     * A page's logging starts (or starts again, when the step is retried): the products it sets aside or filters out
     * are counted afresh, and counted against the run only once the page is logged.
     */
    public void pageStarted(Exchange exchange) {
        exchange.setProperty(PAGE_SET_ASIDE, new ArrayList<Object[]>());
        exchange.setProperty(PAGE_FILTERED, new AtomicInteger());
    }

    /** Sets aside a product that cannot be logged, with the reason; recorded when its page is logged. */
    @SuppressWarnings("unchecked")
    public void productFailed(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        String reason = exchange.getProperty("stripeProductProblem", String.class);
        Object product = exchange.getMessage().getBody();
        Object id = product instanceof Map<?, ?> map && map.get("id") instanceof String text ? text : null;
        String raw;
        try {
            raw = json.writeValueAsString(product);
        } catch (JsonProcessingException e) {
            raw = String.valueOf(product);
        }
        // PostgreSQL text cannot hold NUL: keep the rest of the evidence readable
        exchange.getProperty(PAGE_SET_ASIDE, List.class).add(new Object[] {run.getId(),
                id == null ? null : id.toString().replace("\u0000", "\\u0000"), reason, raw});
        log.warn("Sync run {}: product {} not logged: it {}", run.getId(), id == null ? "(without id)" : id, reason);
    }

    /**
     * The walk's loop ended: at Stripe's last page (succeeded, or failed if products were set aside), or at a page
     * boundary because the service is stopping (interrupted; the next run goes on from what is logged).
     */
    public void walkEnded(Exchange exchange) {
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        RunFailure failure = run.failure();
        if (failure != null) {
            end(exchange, run, "failed", failure.httpStatus(), failure.message());
        } else if (!run.walkComplete() || exchange.getProperty(SyncWindows.WINDOW, SyncWindow.class) != null
                && exchange.getProperty(SyncWindows.WINDOW, SyncWindow.class).hasMore()) {
            end(exchange, run, "interrupted", 503, "the service is stopping: the run was interrupted after "
                    + run.getPages() + " pages; the next run goes on from there");
        } else if (run.getFailed() > 0) {
            end(exchange, run, "failed", 502, run.getFailed()
                    + " product(s) could not be logged: see stripe_sync_failures where run_id = " + run.getId());
        } else {
            end(exchange, run, "succeeded", 200, null);
        }
    }

    /**
     * A step failed for good (not retried, or no longer). In a window's walk: the run fails, its other windows stop
     * after their current page, and the run is recorded when the walk ends. Outside a walk: the run (if it began) is
     * recorded as failed with its progress, and the answer says what failed.
     */
    public void fail(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty(RetryPolicy.ATTEMPTS, 1, Integer.class);
        RunFailure described = RunFailure.of(failure, attempts, secrets.maskedStripeKey());
        String error = secrets.scrub(described.message());
        described = new RunFailure(described.httpStatus(), error);
        SyncRun run = exchange.getProperty(RUN, SyncRun.class);
        if (exchange.getProperty(SyncWindows.WALKER) != null) {
            run.failWith(described);
            windows.windowWalked(exchange);
            return;
        }
        if (run != null) {
            end(exchange, run, "failed", described.httpStatus(), error);
            return;
        }
        log.error("Sync could not start: {}", error);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", false);
        answer.put("error", error);
        respond(exchange, described.httpStatus(), answer);
    }

    private void end(Exchange exchange, SyncRun run, String status, int httpStatus, String error) {
        active.remove(run);
        finish(run, status, error);
        metrics.runEnded(run.getTrigger(), status, java.time.Duration.ofMillis(run.durationMs()), run.getPages(),
                run.getScanned(), run.getSynced(), run.getSkipped(), run.getFailed());
        lastSuccessfulRun.refresh();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", error == null);
        if (error == null) {
            log.info("Sync run {} succeeded in {} ms: {} pages, {} scanned, {} synced, {} changed, {} deleted, "
                    + "{} filtered, {} skipped (already logged)", run.getId(), run.durationMs(), run.getPages(),
                    run.getScanned(), run.getSynced(), run.getChanged(), run.getDeleted(), run.getFiltered(),
                    run.getSkipped());
        } else {
            log.error("Sync run {} {} after {} ms: {} ({} pages, {} scanned, {} synced, {} failed)", run.getId(),
                    status, run.durationMs(), error, run.getPages(), run.getScanned(), run.getSynced(), run.getFailed());
            answer.put("error", error);
        }
        answer.putAll(countsOf(run));
        answer.put("status", status);
        respond(exchange, httpStatus, answer);
        MDC.remove(MDC_RUN_ID);
    }

    /** Another run holds the lock: answer 409 and leave that run alone. */
    public void busy(Exchange exchange) {
        metrics.runRefused(triggerOf(exchange));
        log.info("Sync not started (trigger: {}): another run is in progress", triggerOf(exchange));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", false);
        answer.put("error", new SyncAlreadyRunningException().getMessage());
        respond(exchange, 409, answer);
    }

    /**
     * The service is stopping: runs in progress end at their next page boundary (the page being logged completes,
     * all or nothing) and are recorded as interrupted. Ordered before Camel's own shutdown, which then waits for them.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stopRunsAtNextPage() {
        active.forEach(SyncRun::stopAtNextPage);
    }

    private void finish(SyncRun run, String status, String error) {
        try {
            jdbc.update(FINISH_RUN, status, run.getPages(), run.getScanned(), run.getSynced(), run.getSkipped(),
                    run.getFailed(), run.getChanged(), run.getDeleted(), run.getFiltered(), error, run.getId());
        } catch (DataAccessException e) {
            // the next run marks this row as interrupted; the lock goes with the connection either way
            log.warn("Sync run {} could not be recorded as {}: {}", run.getId(), status,
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        } finally {
            release(run.lockConnection());
        }
    }

    private Map<String, Object> countsOf(SyncRun run) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("synced", run.getSynced());
        counts.put("scanned", run.getScanned());
        counts.put("changed", run.getChanged());
        counts.put("deleted", run.getDeleted());
        counts.put("skipped", run.getSkipped());
        counts.put("filtered", run.getFiltered());
        counts.put("failed", run.getFailed());
        counts.put("pages", run.getPages());
        if (run.getPricePages() > 0) {
            counts.put("prices", run.getPricesLogged());
            counts.put("pricePages", run.getPricePages());
        }
        counts.put("runId", run.getId());
        counts.put("trigger", run.getTrigger());
        counts.put("durationMs", run.durationMs());
        return counts;
    }

    /** Replaces every header (nothing of the Stripe call may reach the caller) with the JSON answer. */
    private void respond(Exchange exchange, int status, Map<String, Object> answer) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(json.writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the sync answer", e);
        }
    }

    private static SqlParameterValue scheduledFor(Exchange exchange) {
        Date fireTime = exchange.getProperty(SCHEDULED_FOR, Date.class);
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                fireTime == null ? null : fireTime.toInstant().atOffset(ZoneOffset.UTC));
    }

    private String triggerOf(Exchange exchange) {
        String trigger = exchange.getProperty(TRIGGER, String.class);
        if (trigger != null) {
            return trigger;
        }
        String scheme = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointUri();
        if (scheme.startsWith("quartz:")) {
            return "schedule";
        }
        return scheme.startsWith("platform-http:") ? "http" : "manual";
    }

    private boolean tryLock(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, lockKey);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void release(Connection connection) {
        try (connection) {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback(); // ends the lock's transaction, and with it the lock
            }
        } catch (SQLException e) {
            // a broken connection has already dropped the lock on the server side
            log.debug("Advisory lock connection closed with an error: {}", e.getMessage());
        }
    }
}
