package io.stripesync.sync;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One stretch of Stripe's product list walked with its own cursor: the products created in {@code [from, until)}
 * (unbounded when both are null: the whole list, the sequential walk). Windows of one run never overlap and
 * together cover the whole time axis: a product created exactly on a boundary belongs to the window that starts
 * there ({@code created[gte]}), never to the one that ends there ({@code created[lt]}).
 */
public class SyncWindow {

    /** 2011-01-01: no Stripe product is older; a window open to the past is not split below it. */
    static final long STRIPE_LAUNCH = 1_293_840_000L;

    private final SyncRun run;
    private final String listPath;
    private final String fixedParams;
    private Long from;
    private final Long until;
    private String startingAfter;
    private boolean hasMore = true;

    private SyncWindow(SyncRun run, String listPath, String fixedParams, Long from, Long until) {
        this.run = run;
        this.listPath = listPath;
        this.fixedParams = fixedParams;
        this.from = from;
        this.until = until;
    }

    /** The product walk's first window: every product the filter settings let Stripe list. */
    static SyncWindow products(SyncRun run) {
        return new SyncWindow(run, SyncRun.PRODUCTS, run.productParams(), run.createdFrom(), run.createdUntil());
    }

    /** The walk of every price (SYNC_PRICES_ALL), after the product walk: one window, GET /v1/prices. */
    static SyncWindow prices(SyncRun run) {
        return new SyncWindow(run, SyncRun.PRICES, "", null, null);
    }

    /** Read by the route: the list this window walks, /v1/products or /v1/prices. */
    public String getListPath() {
        return listPath;
    }

    /** Read by the route's loop: this window has another page, and the run goes on. */
    public boolean isWalking() {
        return hasMore() && run.goesOn();
    }

    /** Read by the route: the walk's fixed parameters, the window's bounds and its cursor, each starting with &. */
    public synchronized String getQueryParams() {
        StringBuilder query = new StringBuilder(fixedParams);
        if (from != null) {
            query.append("&created%5Bgte%5D=").append(from);
        }
        if (until != null) {
            query.append("&created%5Blt%5D=").append(until);
        }
        if (startingAfter != null) {
            query.append("&starting_after=").append(URLEncoder.encode(startingAfter, StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    synchronized void pageLogged(boolean more, String lastId) {
        hasMore = more;
        startingAfter = lastId;
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
    synchronized List<SyncWindow> splitOlderParts(long firstCreated, long lastCreated, int pagesToKeep, int walkers,
                                                  long minimumSpanSeconds) {
        List<SyncWindow> older = new ArrayList<>();
        if (!hasMore || walkers < 1) {
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
                older.add(new SyncWindow(run, listPath, fixedParams, upper - stretch, upper));
                upper -= stretch;
            }
            older.add(new SyncWindow(run, listPath, fixedParams, null, upper));
            from = kept;
            return older;
        }
        if (lastCreated - from < Math.max(minimumSpanSeconds, 6 * pageSpan)) {
            return older;
        }
        long split = from + (lastCreated - from) / 2;
        older.add(new SyncWindow(run, listPath, fixedParams, from, split));
        from = split;
        return older;
    }

    synchronized boolean hasMore() {
        return hasMore;
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "-inf" : from) + ", " + (until == null ? "+inf" : until) + ")";
    }
}
