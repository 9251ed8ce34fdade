package io.stripesync.sync;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/** The state of one run while it walks Stripe: where the cursor is and what it has counted so far. */
public class SyncRun {

    private final long id;
    private final String trigger;
    private final long startedNanos = System.nanoTime();
    private final Connection lockConnection;
    private int pages;
    private int scanned;
    private int synced;
    private int failed;
    private boolean hasMore = true;
    private String startingAfter;
    private volatile boolean stopRequested;

    SyncRun(long id, String trigger, Connection lockConnection) {
        this.id = id;
        this.trigger = trigger;
        this.lockConnection = lockConnection;
    }

    void pageLogged(int productsOnPage, int inserted, boolean more, String lastId) {
        pages++;
        scanned += productsOnPage;
        synced += inserted;
        hasMore = more;
        startingAfter = lastId;
    }

    void productFailed() {
        failed++;
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

    void stopAtNextPage() {
        stopRequested = true;
    }

    /** Read by the route: the cursor part of the next page's query string, empty on the first page. */
    public String getStartingAfterParam() {
        return startingAfter == null ? ""
                : "&starting_after=" + URLEncoder.encode(startingAfter, StandardCharsets.UTF_8);
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

    /** Products the log already held (or another writer logged while this run inserted). */
    public int getSkipped() {
        return scanned - synced - failed;
    }

    /** Products that could not be logged (see stripe_sync_failures). */
    public int getFailed() {
        return failed;
    }

    public long durationMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    Connection lockConnection() {
        return lockConnection;
    }
}
