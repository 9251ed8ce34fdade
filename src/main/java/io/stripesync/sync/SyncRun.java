package io.stripesync.sync;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/** The state of one run while it walks Stripe: which list, where the cursor is, and what it has counted so far. */
public class SyncRun {

    static final String PRODUCTS = "/v1/products";
    static final String PRICES = "/v1/prices";

    private final long id;
    private final String trigger;
    private final long startedNanos = System.nanoTime();
    private final Connection lockConnection;
    private final boolean livemode;
    private final List<String> seenIds;
    private String listPath = PRODUCTS;
    private String listParams;
    private int pages;
    private int scanned;
    private int synced;
    private int changed;
    private int deleted;
    private int filtered;
    private int failed;
    private int pricePages;
    private int pricesLogged;
    private boolean hasMore = true;
    private String startingAfter;
    private volatile boolean stopRequested;

    /**
     * @param productParams the fixed query parameters of the product walk (filters pushed to Stripe, expansion)
     * @param wholeCatalogue whether the walk lists every product, so that one not listed is deleted in Stripe
     */
    SyncRun(long id, String trigger, Connection lockConnection, String productParams, boolean wholeCatalogue,
            boolean livemode) {
        this.id = id;
        this.trigger = trigger;
        this.lockConnection = lockConnection;
        this.listParams = productParams;
        this.seenIds = wholeCatalogue ? new ArrayList<>() : null;
        this.livemode = livemode;
    }

    void pageLogged(List<String> idsOnPage, int inserted, int changedOnPage, boolean more, String lastId) {
        pages++;
        scanned += idsOnPage.size();
        synced += inserted;
        changed += changedOnPage;
        if (seenIds != null) {
            seenIds.addAll(idsOnPage);
        }
        hasMore = more;
        startingAfter = lastId;
    }

    void pricesPageLogged(int written, boolean more, String lastId) {
        pricePages++;
        pricesLogged += written;
        hasMore = more;
        startingAfter = lastId;
    }

    /** After the product walk: walk GET /v1/prices from its first page. */
    void startPricesWalk() {
        listPath = PRICES;
        listParams = "";
        hasMore = true;
        startingAfter = null;
    }

    void productFailed() {
        failed++;
    }

    void productFiltered() {
        filtered++;
    }

    void deletedMarked(int count) {
        deleted = count;
    }

    public long getId() {
        return id;
    }

    public String getTrigger() {
        return trigger;
    }

    /** Stripe said there is another page. */
    public boolean isHasMore() {
        return hasMore;
    }

    /** Read by the route's loop: there is another page, and the service is not stopping. */
    public boolean isWalking() {
        return hasMore && !stopRequested;
    }

    /** Read by the route after the product walk: it reached Stripe's last page (it was not interrupted). */
    public boolean isWalkedToTheEnd() {
        return !hasMore && !stopRequested;
    }

    /**
     * Read by the route after the product walk: the walk saw the whole catalogue (every page, no filter pushed to
     * Stripe, no product set aside), so a logged product it did not see is deleted in Stripe.
     */
    public boolean isDeletionCheckDue() {
        return isWalkedToTheEnd() && seenIds != null && failed == 0 && PRODUCTS.equals(listPath);
    }

    void stopAtNextPage() {
        stopRequested = true;
    }

    /** Read by the route: the path of the list being walked, /v1/products then (optionally) /v1/prices. */
    public String getListPath() {
        return listPath;
    }

    /** Read by the route: the walk's fixed query parameters, empty or starting with &. */
    public String getListParams() {
        return listParams;
    }

    /** Read by the route: the cursor part of the next page's query string, empty on the first page. */
    public String getStartingAfterParam() {
        return startingAfter == null ? ""
                : "&starting_after=" + URLEncoder.encode(startingAfter, StandardCharsets.UTF_8);
    }

    /** Read by the route: whether the key is a live-mode key (only rows of that mode can be marked deleted). */
    public boolean isLivemode() {
        return livemode;
    }

    List<String> seenIds() {
        return seenIds == null ? List.of() : seenIds;
    }

    public int getPages() {
        return pages;
    }

    public int getScanned() {
        return scanned;
    }

    public int getSynced() {
        return synced;
    }

    /** Logged products with at least one field changed in Stripe (see stripe_product_changes). */
    public int getChanged() {
        return changed;
    }

    /** Logged products a complete walk no longer found, marked deleted_at by this run. */
    public int getDeleted() {
        return deleted;
    }

    /** Products the filter settings or the team's rule left out. */
    public int getFiltered() {
        return filtered;
    }

    /** Products the log already held, unchanged (or another writer logged while this run inserted). */
    public int getSkipped() {
        return scanned - synced - changed - failed - filtered;
    }

    /** Products that could not be logged (see stripe_sync_failures). */
    public int getFailed() {
        return failed;
    }

    public int getPricePages() {
        return pricePages;
    }

    /** Prices inserted into, or updated in, stripe_prices_log. */
    public int getPricesLogged() {
        return pricesLogged;
    }

    public long durationMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    Connection lockConnection() {
        return lockConnection;
    }
}
