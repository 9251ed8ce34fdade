package io.stripesync.run;

import io.stripesync.walk.WindowSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one run while it walks Stripe, shared by the walkers of its windows: what the walk asks Stripe for,
 * what it has counted so far, and whether it goes on (not failed, service not stopping).
 */
public class Run {

    public static final String PRODUCTS = "/v1/products";
    public static final String PRICES = "/v1/prices";

    private final long id;
    private final String trigger;
    private final long startedNanos = System.nanoTime();
    private final Connection lockConnection;
    private final String productParams;
    private final Long createdFrom;
    private final Long createdUntil;
    private final boolean livemode;
    private final List<String> seenIds;
    private int pages;
    private int scanned;
    private int synced;
    private int changed;
    private int deleted;
    private int filtered;
    private int failed;
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
    Run(long id, String trigger, Connection lockConnection, String productParams, Long createdFrom,
            Long createdUntil, boolean wholeCatalogue, boolean livemode) {
        this.id = id;
        this.trigger = trigger;
        this.lockConnection = lockConnection;
        this.productParams = productParams;
        this.createdFrom = createdFrom;
        this.createdUntil = createdUntil;
        this.seenIds = wholeCatalogue ? new ArrayList<>() : null;
        this.livemode = livemode;
    }

    synchronized void pageLogged(List<String> idsOnPage, int inserted, int changedOnPage, int setAside,
                                 int filteredOut) {
        pages++;
        scanned += idsOnPage.size();
        synced += inserted;
        changed += changedOnPage;
        failed += setAside;
        filtered += filteredOut;
        if (seenIds != null) {
            seenIds.addAll(idsOnPage);
        }
    }

    synchronized void pricesPageLogged(int written) {
        pricePages++;
        pricesLogged += written;
    }

    synchronized void deletedMarked(int count) {
        deleted = count;
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

    synchronized Failures.Failure failure() {
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
        return walkComplete() && seenIds != null && failed == 0;
    }

    /** Read by the route: whether the key is a live-mode key (only rows of that mode can be marked deleted). */
    public boolean isLivemode() {
        return livemode;
    }

    synchronized List<String> seenIds() {
        return seenIds == null ? List.of() : List.copyOf(seenIds);
    }

    public long getId() {
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

    public synchronized int getPricePages() {
        return pricePages;
    }

    public synchronized int getPricesLogged() {
        return pricesLogged;
    }

    public long durationMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    Connection lockConnection() {
        return lockConnection;
    }
}
