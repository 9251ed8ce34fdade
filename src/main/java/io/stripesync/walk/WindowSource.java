package io.stripesync.walk;

import io.stripesync.config.SyncSettings;
import io.stripesync.run.Run;
import io.stripesync.run.RunLifecycle;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Supplies the windows of creation time that the sync route's streaming split hands to its walkers (executor
 * {@code syncWalkers}, {@code sync.walk.concurrency} of them), and decides where a window splits.
 *
 * <p>The walk starts as one window over the whole list. Whenever a walker is idle, the window that just logged a
 * page gives the older part of what it has left to a new window (dense stretches split further, empty ones end after
 * one request), so the walkers share the work wherever the products are. With a concurrency of 1 no walker is ever
 * idle: the walk is the plain sequential walk, one cursor over the whole list, ceil(N/100) requests.
 */
@Component("windowSource")
public class WindowSource {

    /** Exchange property of a window's walk: its {@link Window}. */
    public static final String WINDOW = "syncWindow";
    /** Exchange property the route keeps: Stripe said the window has another page. */
    public static final String HAS_MORE = "stripeHasMore";
    /** Exchange property holding the Stripe page being walked. */
    public static final String PAGE = "stripePage";

    /** Pages' worth of products the first window keeps when it hands on the past (see Window). */
    private static final int PAGES_TO_KEEP = 10;

    private static final Logger log = LoggerFactory.getLogger(WindowSource.class);

    private final int concurrency;
    private final long minimumSpanSeconds;

    public WindowSource(SyncSettings settings) {
        this.concurrency = settings.walk().concurrency();
        this.minimumSpanSeconds = settings.walk().minWindowSeconds();
    }

    /** The run's product windows, streamed to the split as walkers split them off; {@link Window#END} comes last. */
    public Iterator<Window> windowsOf(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        Walk walk = new Walk(run);
        run.walk(walk);
        walk.add(Window.productsOf(run));
        return walk;
    }

    /** The window of the walk of every price, after the product walk. */
    public Window pricesWindow(Exchange exchange) {
        return Window.pricesOf(exchange.getProperty(RunLifecycle.RUN, Run.class));
    }

    /** A walker takes a window: its log lines carry the run's id. */
    public void walkerStarted(Exchange exchange) {
        MDC.put(RunLifecycle.MDC_RUN_ID, String.valueOf(exchange.getProperty(RunLifecycle.RUN, Run.class).getId()));
    }

    /** After each page: if walkers are idle, hand them older parts of what this window has left. */
    public void shareWork(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        Window window = exchange.getProperty(WINDOW, Window.class);
        Walk walk = run.walk();
        int idle = walk == null ? 0 : walk.idleWalkers();
        if (idle == 0 || !exchange.getProperty(HAS_MORE, false, Boolean.class)) {
            return;
        }
        List<?> data = (List<?>) exchange.getProperty(PAGE, Map.class).get("data");
        if (data.isEmpty() || !(((Map<?, ?>) data.get(0)).get("created") instanceof Number first)
                || !(((Map<?, ?>) data.get(data.size() - 1)).get("created") instanceof Number last)) {
            return;
        }
        for (Window older : window.splitOlderParts(first.longValue(), last.longValue(), PAGES_TO_KEEP, idle,
                minimumSpanSeconds)) {
            log.debug("Sync run {}: window {} split off, this walker keeps {}", run.getId(), older, window);
            walk.add(older);
        }
    }

    /** The walker of a window is done with it: walked to its last page, or stopped (failed, service stopping). */
    public void windowWalked(Exchange exchange) {
        Window window = exchange.getProperty(WINDOW, Window.class);
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        if (window == null || run == null) {
            return;
        }
        if (exchange.getProperty(HAS_MORE, true, Boolean.class)) {
            run.windowLeftIncomplete();
        }
        if (run.walk() != null) {
            run.walk().walked(window);
        }
        exchange.removeProperty(WINDOW);
        MDC.remove(RunLifecycle.MDC_RUN_ID);
    }

    /**
     * The windows of one run, as the split's iterator. The split asks {@code hasNext()} right after each
     * {@code next()}, before it hands that window to a walker, so {@code hasNext()} never waits: it says yes until
     * {@link Window#END} has been handed out. {@code next()} waits, on a thread of the walkers' pool, until a walker
     * splits off a window or every window is walked; then it hands out END, which the route skips.
     */
    public final class Walk implements Iterator<Window> {

        private final Run run;
        private final Deque<Window> waiting = new ArrayDeque<>();
        private final Set<Window> outstanding = new HashSet<>();
        private boolean ended;

        Walk(Run run) {
            this.run = run;
        }

        synchronized void add(Window window) {
            waiting.add(window);
            outstanding.add(window);
            notifyAll();
        }

        synchronized int idleWalkers() {
            return concurrency - outstanding.size();
        }

        synchronized void walked(Window window) {
            if (outstanding.remove(window)) {
                notifyAll();
            }
        }

        @Override
        public synchronized boolean hasNext() {
            return !ended;
        }

        @Override
        public synchronized Window next() {
            boolean interrupted = false;
            while (waiting.isEmpty() && !outstanding.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stopAtNextPage(); // the walkers stop after their current page; they are still waited for
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!waiting.isEmpty()) {
                return waiting.poll();
            }
            ended = true;
            return Window.END;
        }
    }
}
