package io.stripesync.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Walks a run's product list in windows of creation time, up to {@code sync.walk.concurrency} at once, each window
 * walked by the route {@code direct:stripe-walk-window}.
 *
 * <p>The walk starts as one window over the whole list. Whenever a walker is idle, the window that just logged a
 * page gives the older part of what it has left to a new window (dense stretches split further, empty ones end after
 * one request), so the walkers share the work wherever the products are. With a concurrency of 1 no walker is ever
 * idle: the walk is the plain sequential walk, one cursor over the whole list, ceil(N/100) requests.
 */
@Component("syncWindows")
public class SyncWindows {

    /** Exchange property of a window's walk: its {@link SyncWindow}. */
    public static final String WINDOW = "syncWindow";
    /** Exchange property marking the exchange of a walker (a failure there fails the run but ends only the window). */
    public static final String WALKER = "syncWalker";

    /** Pages' worth of products the first window keeps when it hands on the past (see SyncWindow). */
    private static final int PAGES_TO_KEEP = 10;

    private static final Logger log = LoggerFactory.getLogger(SyncWindows.class);

    private final CamelContext camel;
    private final int concurrency;
    private final long minimumSpanSeconds;
    private ExecutorService walkers;
    private ProducerTemplate producer;

    public SyncWindows(CamelContext camel, @Value("${sync.walk.concurrency}") int concurrency,
                       @Value("${sync.walk.min-window-seconds}") long minimumSpanSeconds) {
        this.camel = camel;
        this.concurrency = concurrency;
        this.minimumSpanSeconds = minimumSpanSeconds;
    }

    /** Walks the whole list for this exchange's run and returns when every window is walked, or the run stopped. */
    public void walk(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        Walk walk = new Walk(run);
        run.walk(walk);
        walk.submit(SyncWindow.products(run));
        walk.awaitWalked();
    }

    /** The walker of a window starts: its log lines carry the run's id. */
    public void walkStarted(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        exchange.setProperty(WINDOW, exchange.getMessage().getBody(SyncWindow.class));
        exchange.setProperty(WALKER, true);
        MDC.put(SyncRuns.MDC_RUN_ID, String.valueOf(run.getId()));
    }

    /** After each page: if walkers are idle, hand them older parts of what this window has left. */
    public void shareWork(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRuns.RUN, SyncRun.class);
        SyncWindow window = exchange.getProperty(WINDOW, SyncWindow.class);
        int idle = run.walk().idleWalkers();
        if (idle == 0) {
            return;
        }
        List<?> data = (List<?>) exchange.getProperty(SyncRuns.PAGE, Map.class).get("data");
        if (data.isEmpty() || !(((Map<?, ?>) data.get(0)).get("created") instanceof Number first)
                || !(((Map<?, ?>) data.get(data.size() - 1)).get("created") instanceof Number last)) {
            return;
        }
        for (SyncWindow older : window.splitOlderParts(first.longValue(), last.longValue(), PAGES_TO_KEEP,
                idle, minimumSpanSeconds)) {
            log.debug("Sync run {}: window {} split off, this walker keeps {}", run.getId(), older, window);
            run.walk().submit(older);
        }
    }

    /** The walker of a window is done with it: walked to its last page, or stopped (failed, service stopping). */
    public void windowWalked(Exchange exchange) {
        SyncWindow window = exchange.getProperty(WINDOW, SyncWindow.class);
        if (window == null || window.hasMore()) {
            exchange.getProperty(SyncRuns.RUN, SyncRun.class).windowLeftIncomplete();
        }
        MDC.remove(SyncRuns.MDC_RUN_ID);
    }

    /** The walkers' pool lives as long as the service (not as long as a route: a reloaded route keeps it). */
    private synchronized ExecutorService walkers() {
        if (walkers == null) {
            walkers = camel.getExecutorServiceManager().newFixedThreadPool(this, "sync-walker", concurrency);
            producer = camel.createProducerTemplate();
        }
        return walkers;
    }

    @jakarta.annotation.PreDestroy
    synchronized void stopWalkers() throws Exception {
        if (producer != null) {
            producer.stop();
        }
        if (walkers != null) {
            camel.getExecutorServiceManager().shutdown(walkers);
        }
    }

    /** The windows of one run: those waiting or being walked. */
    final class Walk {

        private final SyncRun run;
        private int outstanding;

        Walk(SyncRun run) {
            this.run = run;
        }

        synchronized int idleWalkers() {
            return concurrency - outstanding;
        }

        synchronized void submit(SyncWindow window) {
            ExecutorService pool = walkers();
            if (pool.isShutdown()) {
                run.failWith(new RunFailure(503, "the service is stopping: no walker left for the rest of the walk"));
                return;
            }
            outstanding++;
            try {
                pool.execute(() -> walkWindow(window));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                outstanding--;
                run.failWith(new RunFailure(503, "the service is stopping: no walker left for the rest of the walk"));
            }
        }

        private void walkWindow(SyncWindow window) {
            try {
                Exchange walked = producer.send("direct:stripe-walk-window", exchange -> {
                    exchange.setProperty(SyncRuns.RUN, run);
                    exchange.getMessage().setBody(window);
                });
                if (walked.getException() != null) {
                    run.failWith(new RunFailure(500, "a window's walk failed: "
                            + walked.getException().getClass().getSimpleName()));
                }
            } finally {
                walked();
            }
        }

        private synchronized void walked() {
            outstanding--;
            notifyAll();
        }

        /** Waits for every window; interrupted, the run stops at its walkers' next page and is still waited for. */
        synchronized void awaitWalked() {
            boolean interrupted = false;
            while (outstanding > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stopAtNextPage();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
