package io.stripesync.walk;

import io.stripesync.run.Run;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One stretch of a Stripe list walked with its own cursor: the objects created in {@code [from, until)} (unbounded
 * when both are null: the whole list, the sequential walk). Windows of one run never overlap and together cover the
 * whole time axis: a product created exactly on a boundary belongs to the window that starts there
 * ({@code created[gte]}), never to the one that ends there ({@code created[lt]}).
 *
 * <p>The cursor itself ({@code starting_after}) is not kept here: the route takes it from each page.
 */
public class Window {

    /** 2011-01-01: no Stripe product is older; a window open to the past is not split below it. */
    static final long STRIPE_LAUNCH = 1_293_840_000L;

    /** Stripe's events list (the catch-up's window). */
    static final String EVENTS = "/v1/events";

    /** Handed out last by a walk's window source: nothing to walk, the walk is over (see {@link WindowSource}). */
    static final Window END = new Window(null, "", "", null, null, false);

    private final Run run;
    private final String listPath;
    private final String fixedParams;
    private final boolean splittable;
    private Long from;
    private final Long until;
    /** The last ids of the pages walked so far: a page that comes round again means the list does not move on. */
    private final Set<String> lastIdsSeen = new HashSet<>();

    private Window(Run run, String listPath, String fixedParams, Long from, Long until, boolean splittable) {
        this.run = run;
        this.listPath = listPath;
        this.fixedParams = fixedParams;
        this.from = from;
        this.until = until;
        this.splittable = splittable;
    }

    /** The product walk's first window: every product the filter settings let Stripe list. */
    static Window productsOf(Run run) {
        return new Window(run, Run.PRODUCTS, run.productParams(), run.createdFrom(), run.createdUntil(), true);
    }

    /** The walk of every price (SYNC_PRICES_ALL), after the product walk: one window, GET /v1/prices. */
    static Window pricesOf(Run run) {
        return new Window(run, Run.PRICES, "", null, null, false);
    }

    /**
     * One page of up to 100 given products, re-read at the pinned API version after events named them
     * ({@code ids[]} cannot be combined with a cursor: a window of 100 ids is one page).
     */
    public static Window idsOf(Run run, List<String> productIds) {
        StringBuilder params = new StringBuilder(run.productParams());
        for (String id : productIds) {
            params.append("&ids%5B%5D=").append(URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
        return new Window(run, Run.PRODUCTS, params.toString(), null, null, false);
    }

    /** Stripe's events of the given types created at or after {@code since} (unix seconds), newest first. */
    public static Window eventsOf(Run run, List<String> types, long since) {
        StringBuilder params = new StringBuilder();
        for (String type : types) {
            params.append("&types%5B%5D=").append(URLEncoder.encode(type, StandardCharsets.UTF_8));
        }
        return new Window(run, EVENTS, params.toString(), since, null, false);
    }

    /** The marker that ends a walk: nothing to walk (also the catch-up's list when it has no cursor yet). */
    public static Window none() {
        return END;
    }

    /** Read by the split: the marker that ends the walk, with nothing to walk. */
    public boolean isEndOfWalk() {
        return this == END;
    }

    /** Read by the route: the list this window walks, /v1/products or /v1/prices. */
    public String getListPath() {
        return listPath;
    }

    /** Read by the route: the window walks prices (logged by sync-log-prices-page) rather than products. */
    public boolean isPrices() {
        return Run.PRICES.equals(listPath);
    }

    /** Read by the route: the window lists Stripe's events (gathered by events-collect-page). */
    public boolean isEvents() {
        return EVENTS.equals(listPath);
    }

    /** Read by the route: the walk's fixed parameters and the window's bounds, each starting with &amp;. */
    public synchronized String getQueryParams() {
        StringBuilder query = new StringBuilder(fixedParams);
        if (from != null) {
            query.append("&created%5Bgte%5D=").append(from);
        }
        if (until != null) {
            query.append("&created%5Blt%5D=").append(until);
        }
        return query.toString();
    }

    /** False for a page whose last id ended an earlier page of this window: the list would never end. */
    synchronized boolean firstTimeSeen(String lastId) {
        return lastIdsSeen.add(lastId);
    }

    /**
     * Gives older parts of what is left of this window to up to {@code walkers} new windows, when worth it. The rest
     * of this window is the products created in {@code [from, lastCreated]} after the cursor; this window keeps the
     * newest stretch (with its cursor, still valid: the cursor's product was created at {@code lastCreated}, inside
     * it) and the new windows take the older stretches, together exactly {@code [from, split)}.
     *
     * <p>A window open to the past (the first one) keeps about {@code pagesToKeep} pages at the density of the page
     * just walked, hands the next stretches of that size to new windows and the whole remaining past to the last one:
     * the walk fans out from the newest products at once, without wasting requests on the years before the first
     * product. A bounded window is cut in half, if its older half holds a few pages or more. Returns the new windows,
     * none when the rest spans too little time to split.
     */
    synchronized List<Window> splitOlderParts(long firstCreated, long lastCreated, int pagesToKeep, int walkers,
                                              long minimumSpanSeconds) {
        List<Window> older = new ArrayList<>();
        if (!splittable || walkers < 1) {
            return older;
        }
        long pageSpan = Math.max(firstCreated - lastCreated, 1);
        if (from == null) {
            long stretch = Math.max(pageSpan * pagesToKeep, minimumSpanSeconds);
            long kept = lastCreated - stretch;
            if (kept <= STRIPE_LAUNCH) {
                return older;
            }
            long upper = kept;
            for (int i = 1; i < walkers && upper - stretch > STRIPE_LAUNCH; i++) {
                older.add(new Window(run, listPath, fixedParams, upper - stretch, upper, true));
                upper -= stretch;
            }
            older.add(new Window(run, listPath, fixedParams, null, upper, true));
            from = kept;
            return older;
        }
        if (lastCreated - from < Math.max(minimumSpanSeconds, 6 * pageSpan)) {
            return older;
        }
        long split = from + (lastCreated - from) / 2;
        older.add(new Window(run, listPath, fixedParams, from, split, true));
        from = split;
        return older;
    }

    @Override
    public String toString() {
        return this == END ? "[end]" : "[" + (from == null ? "-inf" : from) + ", " + (until == null ? "+inf" : until) + ")";
    }
}
