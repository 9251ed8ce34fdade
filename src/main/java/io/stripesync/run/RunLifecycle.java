package io.stripesync.run;

import io.stripesync.config.Secrets;
import io.stripesync.config.StripeSettings;
import io.stripesync.config.SyncSettings;
import io.stripesync.ops.LastSuccessfulRun;
import io.stripesync.ops.SyncMetrics;
import io.stripesync.product.ProductFilter;
import io.stripesync.walk.WindowSource;
import io.stripesync.web.Callers;
import io.stripesync.web.TriggerTimeout;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Where a run starts and ends, called by the sync route: the run lock and record, the operator's first and last log
 * lines, the run's metrics, and the trigger's answer.
 */
@Component("runLifecycle")
public class RunLifecycle {

    /** Exchange property holding the {@link Run} of the exchange. */
    public static final String RUN = "syncRun";
    /** Exchange property naming what started the run, when the trigger route's endpoint does not say it. */
    public static final String TRIGGER = "syncTrigger";
    /** Exchange property: the kind of run to start, walk (the default) or events. */
    public static final String KIND = "syncKind";
    /** Exchange property: why a walk runs where a catch-up was asked for (reported in the log and the answer). */
    public static final String REASON = "syncReason";
    /** Exchange property set by the schedule route: the cron fire time the run is for. */
    public static final String SCHEDULED_FOR = "syncScheduledFor";
    /** MDC key of the run id, on every log line of a run (structured logs carry it as a field). */
    public static final String MDC_RUN_ID = "runId";

    private static final Logger log = LoggerFactory.getLogger(RunLifecycle.class);
    private static final String EXPAND_DEFAULT_PRICE =
            "&" + URLEncoder.encode("expand[]", StandardCharsets.UTF_8) + "=data.default_price";

    private final RunLock lock;
    private final RunRecords records;
    private final RunAnswer answer;
    private final Failures failures;
    private final Secrets secrets;
    private final SyncMetrics metrics;
    private final LastSuccessfulRun lastSuccessfulRun;
    private final ProductFilter productFilter;
    private final SkippedFireTimes skippedFireTimes;
    private final boolean withPrices;
    private final boolean livemode;
    private final Set<Run> active = ConcurrentHashMap.newKeySet();
    private final boolean keyCanWrite;
    private final java.util.concurrent.atomic.AtomicBoolean keyAdviceGiven = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

    public RunLifecycle(RunLock lock, RunRecords records, RunAnswer answer, Failures failures, Secrets secrets,
                        SyncMetrics metrics, LastSuccessfulRun lastSuccessfulRun, ProductFilter productFilter,
                        SkippedFireTimes skippedFireTimes, SyncSettings settings, StripeSettings stripe) {
        this.lock = lock;
        this.skippedFireTimes = skippedFireTimes;
        this.records = records;
        this.answer = answer;
        this.failures = failures;
        this.secrets = secrets;
        this.metrics = metrics;
        this.lastSuccessfulRun = lastSuccessfulRun;
        this.productFilter = productFilter;
        this.withPrices = settings.prices().enabled();
        this.livemode = stripe.livemode();
        this.keyCanWrite = stripe.secretKey().startsWith("sk_");
    }

    /**
     * Takes the cluster-wide lock (or throws {@link SyncAlreadyRunningException}) and records a 'running' run. A run
     * making up skipped fire times stops here, quietly, when another run made them up first.
     */
    public void begin(Exchange exchange) throws SQLException {
        String trigger = triggerOf(exchange);
        String kind = exchange.getProperty(KIND, Run.WALK, String.class);
        String reason = exchange.getProperty(REASON, String.class);
        String requestedBy = exchange.getIn() instanceof PlatformHttpMessage http
                ? Callers.describe(http.getRequest()) : null;
        Connection held = lock.acquire(kind);
        try {
            if (exchange.getProperty(SkippedFireTimes.MAKE_UP, false, Boolean.class)) {
                Date owed = skippedFireTimes.owedFireTime(); // under the lock: no other run can make it up now
                if (owed == null) {
                    lock.release(held);
                    exchange.setRouteStop(true);
                    return;
                }
                exchange.setProperty(SCHEDULED_FOR, owed);
                log.info("Skipped fire time {} (and any before it since) made up now", owed.toInstant());
            }
            long id = records.start(kind, trigger, exchange.getProperty(SCHEDULED_FOR, Date.class), requestedBy);
            Run run = new Run(id, trigger, kind, Run.EVENTS.equals(kind) ? "events" : "backfill", reason, held,
                    productParams(), productFilter.createdFromSeconds(), productFilter.createdUntilSeconds(),
                    Run.WALK.equals(kind) && !productFilter.narrowsWalk(), livemode);
            active.add(run);
            exchange.setProperty(RUN, run);
            if (exchange.getIn() instanceof PlatformHttpMessage http) {
                http.getRequest().setAttribute(TriggerTimeout.RUN_ID, id); // for the answer past SYNC_HTTP_TIMEOUT
            }
            MDC.put(MDC_RUN_ID, String.valueOf(id));
            String asked = requestedBy == null ? "" : ", requested by " + requestedBy;
            if (Run.WALK.equals(kind)) {
                log.info("Sync run {} started (trigger: {}{}){}", id, trigger, asked, reason == null ? "" : ": " + reason);
            } else {
                log.info("Events catch-up {} started (trigger: {}{})", id, trigger, asked);
            }
            if (keyCanWrite && keyAdviceGiven.compareAndSet(false, true)) {
                log.warn("STRIPE_SECRET_KEY is a secret key (sk_...), which can also change your Stripe account; this "
                        + "service only reads. A restricted key (rk_...) with read access to Products and Prices is "
                        + "enough: see the README");
            }
        } catch (RuntimeException e) {
            lock.release(held);
            throw e;
        }
    }

    /** The query of a product list: the filters Stripe applies itself, and each default price inline (no request). */
    public String productParams() {
        return productFilter.stripeParams() + (withPrices ? EXPAND_DEFAULT_PRICE : "");
    }

    /** The run of one webhook delivery: counted like a run's, not recorded. */
    public Run webhookRun() {
        return Run.unrecorded(productParams(), livemode);
    }

    /**
     * The walk is over: every window reached Stripe's last page (succeeded, or failed if products were set aside), a
     * window failed (failed), or the service is stopping (interrupted; the next run goes on from what is logged).
     */
    public void end(Exchange exchange) {
        Run run = exchange.getProperty(RUN, Run.class);
        Failures.Failure failure = run.failure();
        if (failure != null) {
            end(exchange, run, "failed", failure.httpStatus(), failure.message());
        } else if (!run.walkComplete()) {
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
     * after their current page, and the run ends when the walk does. Outside a walk: the run (if it began) ends
     * failed with its progress, and the answer says what failed.
     */
    public void fail(Exchange exchange) {
        Failures.Failure classified = failures.classify(exchange);
        Failures.Failure failure = new Failures.Failure(classified.retryable(), classified.tag(),
                classified.httpStatus(), secrets.scrub(classified.message()));
        Run run = exchange.getProperty(RUN, Run.class);
        if (exchange.getProperty(WindowSource.WINDOW) != null) {
            run.failWith(failure);
        } else if (run != null) {
            end(exchange, run, "failed", failure.httpStatus(), failure.message());
        } else {
            log.error("Sync could not start: {}", failure.message());
            answer.refused(exchange, failure.httpStatus(), failure.message());
        }
    }

    /**
     * Another run holds the lock: answer 409 and leave that run alone. A fire time of the schedule is recorded as
     * skipped, to be made up when that run ends; a make-up finding the lock held leaves it to the holder.
     */
    public void busy(Exchange exchange) {
        String kind = exchange.getProperty(KIND, Run.WALK, String.class);
        Date fireTime = exchange.getProperty(SCHEDULED_FOR, Date.class);
        if (exchange.getProperty(SkippedFireTimes.MAKE_UP, false, Boolean.class)) {
            log.debug("Skipped fire times not made up here: the run in progress makes them up when it ends");
        } else if (fireTime != null && Run.WALK.equals(kind)) {
            metrics.runRefused(triggerOf(exchange));
            skippedFireTimes.skipped(fireTime);
        } else {
            metrics.runRefused(triggerOf(exchange));
            log.info("{} not started (trigger: {}): another is in progress",
                    Run.EVENTS.equals(kind) ? "Events catch-up" : "Sync", triggerOf(exchange));
        }
        answer.refused(exchange, 409, new SyncAlreadyRunningException(kind).getMessage());
    }

    /**
     * The service is stopping: runs in progress end at their next page boundary (the page being logged completes,
     * all or nothing) and are recorded as interrupted. Ordered before Camel's own shutdown, which then waits for them.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stopRunsAtNextPage() {
        stopping = true;
        active.forEach(Run::stopAtNextPage);
    }

    private void end(Exchange exchange, Run run, String status, int httpStatus, String error) {
        MDC.put(MDC_RUN_ID, String.valueOf(run.getId())); // the walk may end on a walker's thread
        active.remove(run);
        try {
            records.finish(run, status, error);
        } catch (DataAccessException e) {
            // the next run marks this row as interrupted; the lock goes with the connection either way
            log.warn("Sync run {} could not be recorded as {}: {}", run.getId(), status,
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        } finally {
            lock.release(run.lockConnection());
        }
        metrics.runEnded(run.getTrigger(), status, Duration.ofMillis(run.durationMs()), run.getPages(),
                run.getScanned(), run.getSynced(), run.getSkipped(), run.getFailed());
        lastSuccessfulRun.refresh();
        if (error == null && Run.EVENTS.equals(run.getKind())) {
            log.info("Events catch-up {} succeeded in {} ms: {} events, {} synced, {} changed, {} deleted",
                    run.getId(), run.durationMs(), run.getEvents(), run.getSynced(), run.getChanged(), run.getDeleted());
        } else if (error == null) {
            log.info("Sync run {} succeeded in {} ms: {} pages, {} scanned, {} synced, {} changed, {} deleted, "
                    + "{} filtered, {} skipped (already logged)", run.getId(), run.durationMs(), run.getPages(),
                    run.getScanned(), run.getSynced(), run.getChanged(), run.getDeleted(), run.getFiltered(),
                    run.getSkipped());
        } else {
            log.error("Sync run {} {} after {} ms: {} ({} pages, {} scanned, {} synced, {} failed)", run.getId(),
                    status, run.durationMs(), error, run.getPages(), run.getScanned(), run.getSynced(), run.getFailed());
        }
        answer.ended(exchange, run, status, httpStatus, error);
        MDC.remove(MDC_RUN_ID);
        makeUpSkippedFireTimes();
    }

    /** The lock is released: fire times skipped while this run went on get their run (not while stopping). */
    private void makeUpSkippedFireTimes() {
        if (stopping) {
            return;
        }
        try {
            skippedFireTimes.makeUpIfOwed();
        } catch (DataAccessException e) {
            log.warn("Could not look for skipped fire times to make up: {}",
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        }
    }

    /** What started the run, as recorded: schedule (Quartz) or http; a caller may name itself in {@link #TRIGGER}. */
    private static String triggerOf(Exchange exchange) {
        String trigger = exchange.getProperty(TRIGGER, String.class);
        if (trigger != null) {
            return trigger;
        }
        String uri = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointUri();
        return uri.startsWith("quartz:") ? "schedule" : "http";
    }
}
