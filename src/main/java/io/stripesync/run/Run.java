package io.stripesync.run;

import io.stripesync.walk.WindowSource;
import java.sql.Connection;

/**
 * The state of one run while it walks Stripe, shared by the walkers of its windows: what the walk asks Stripe for,
 * what it has counted so far, and whether it goes on (not failed, service not stopping).
 */
public class Run {

    public static final String PRODUCTS = "/v1/products";
    public static final String PRICES = "/v1/prices";

    public static final String WALK = "walk";
    public static final String EVENTS = "events";

    private final Long id;
    private final String trigger;
    private final String kind;
    private final String source;
    private final String reason;
    private final long startedNanos = System.nanoTime();
    private final java.time.Instant startedAt = java.time.Instant.now();
    private final Connection lockConnection;
    private final String productParams;
    private final Long createdFrom;
    private final Long createdUntil;
    private final boolean livemode;
    /** Whether the walk lists every product, so that one it does not see is gone from Stripe. */
    private final boolean wholeCatalogue;
    private int pages;
    private int scanned;
    private int synced;
    private int changed;
    private int deleted;
    private int filtered;
    private int failed;
    private int altered;
    private int events;
    private int pricePages;
    private int pricesLogged;
    private boolean walkIncomplete;
    private Failures.Failure failure;
    private volatile boolean stopRequested;
    private volatile WindowSource.Walk walk;

    /**
     * @param productParams the fixed query parameters of the product walk (filters Stripe applies, expansion)
     * @param createdFrom   first creation second of the walk (SYNC_FILTER_CREATED_AFTER), or null for all of the past
     * @param createdUntil  creation second the walk stops before (SYNC_FILTER_CREATED_BEFORE), or null for now
     * @param wholeCatalogue whether the walk lists every product, so that one not listed is deleted in Stripe
     */
    Run(Long id, String trigger, String kind, String source, String reason, Connection lockConnection,
        String productParams, Long createdFrom, Long createdUntil, boolean wholeCatalogue, boolean livemode) {
        this.id = id;
        this.trigger = trigger;
        this.kind = kind;
        this.source = source;
        this.reason = reason;
        this.lockConnection = lockConnection;
        this.productParams = productParams;
        this.createdFrom = createdFrom;
        this.createdUntil = createdUntil;
        this.wholeCatalogue = wholeCatalogue;
        this.livemode = livemode;
    }

    /**
     * The work of one webhook delivery: counted like a run's, never recorded in stripe_sync_runs (its change rows have
     * no run id), and holding no lock.
     */
    public static Run unrecorded(String productParams, boolean livemode) {
        return new Run(null, "webhook", EVENTS, "webhook", null, null, productParams, null, null, false, livemode);
    }

    synchronized void pageLogged(int listed, int inserted, int changedOnPage, int setAside, int filteredOut,
                                 int alteredOnPage) {
        pages++;
        scanned += listed;
        synced += inserted;
        changed += changedOnPage;
        failed += setAside;
        filtered += filteredOut;
        altered += alteredOnPage;
    }

    synchronized void pricesPageLogged(int written) {
        pricePages++;
        pricesLogged += written;
    }

    synchronized void deletedMarked(int count) {
        deleted += count;
    }

    public synchronized void eventsRead(int count) {
        events += count;
    }

    /** Events read from Stripe (the catch-up's pages, or the webhook's one). */
    public synchronized int getEvents() {
        return events;
    }

    /** A window ended before its last page (the run failed or is stopping): the walk is not complete. */
    public synchronized void windowLeftIncomplete() {
        walkIncomplete = true;
    }

    /** The first failure of any window fails the run; the other windows stop after their current page. */
    synchronized void failWith(Failures.Failure windowFailure) {
        if (failure == null) {
            failure = windowFailure;
        }
    }

    public synchronized Failures.Failure failure() {
        return failure;
    }

    /** Every window of the product walk reached its last page. */
    synchronized boolean walkComplete() {
        return !walkIncomplete && failure == null && !stopRequested;
    }

    /** Read by the walk's loop: walkers go on to their next page while this holds (not failed, not stopping). */
    public boolean goesOn() {
        return !stopRequested && failure() == null;
    }

    public void stopAtNextPage() {
        stopRequested = true;
    }

    public void walk(WindowSource.Walk windows) {
        this.walk = windows;
    }

    public WindowSource.Walk walk() {
        return walk;
    }

    public String productParams() {
        return productParams;
    }

    public Long createdFrom() {
        return createdFrom;
    }

    public Long createdUntil() {
        return createdUntil;
    }

    /** Read by the route after the product walk: it reached Stripe's last page in every window. */
    public boolean isWalkedToTheEnd() {
        return walkComplete();
    }

    /**
     * Read by the route after the product walk: the walk saw the whole catalogue (every page, no filter pushed to
     * Stripe, no product set aside), so a logged product it did not see is deleted in Stripe.
     */
    public synchronized boolean isDeletionCheckDue() {
        return walkComplete() && wholeCatalogue && failed == 0;
    }

    /** Read by the route: whether the key is a live-mode key (only rows of that mode can be marked deleted). */
    public boolean isLivemode() {
        return livemode;
    }

    /**
     * The run id under which the products log records the ids of the products each page lists (stripe_sync_seen), for
     * the deletion check; null when no deletion check can follow (not a walk of the whole catalogue).
     */
    public Long seenRecordedAs() {
        return wholeCatalogue ? id : null;
    }

    /** walk or events. */
    public String getKind() {
        return kind;
    }

    /** What found the changes, as stripe_product_changes.source says: backfill (a walk), events or webhook. */
    public String getSource() {
        return source;
    }

    /** Why this run is what it is, when it is not what was asked for (a walk instead of a catch-up), else null. */
    public String getReason() {
        return reason;
    }

    public Long getId() {
        return id;
    }

    public String getTrigger() {
        return trigger;
    }

    public synchronized int getPages() {
        return pages;
    }

    public synchronized int getScanned() {
        return scanned;
    }

    public synchronized int getSynced() {
        return synced;
    }

    /** Logged products with at least one field changed in Stripe (see stripe_product_changes). */
    public synchronized int getChanged() {
        return changed;
    }

    /** Logged products a complete walk no longer found, marked deleted_at by this run. */
    public synchronized int getDeleted() {
        return deleted;
    }

    /** Products the filter settings or the team's rule left out. */
    public synchronized int getFiltered() {
        return filtered;
    }

    /** Products the log already held, unchanged (or another writer logged while this run inserted). */
    public synchronized int getSkipped() {
        return scanned - synced - changed - failed - filtered;
    }

    /** Products that could not be logged (see stripe_sync_failures). */
    public synchronized int getFailed() {
        return failed;
    }

    /** Products logged with an alteration (a NUL stored as U+FFFD), recorded as warnings; not failures. */
    public synchronized int getAltered() {
        return altered;
    }

    public synchronized int getPricePages() {
        return pricePages;
    }

    public synchronized int getPricesLogged() {
        return pricesLogged;
    }

    public java.time.Instant startedAt() {
        return startedAt;
    }

    public long durationMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    Connection lockConnection() {
        return lockConnection;
    }
}
