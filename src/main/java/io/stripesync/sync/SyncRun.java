package io.stripesync.sync;

import java.sql.Connection;

/**
 * The state of one run while it walks Stripe, shared by the walkers of its windows: what it has counted so far, and
 * whether it goes on (not failed, not stopping).
 */
public class SyncRun {

    private final long id;
    private final String trigger;
    private final long startedNanos = System.nanoTime();
    private final Connection lockConnection;
    private int pages;
    private int scanned;
    private int synced;
    private int failed;
    private boolean walkIncomplete;
    private RunFailure failure;
    private volatile boolean stopRequested;
    private volatile SyncWindows.Walk walk;

    SyncRun(long id, String trigger, Connection lockConnection) {
        this.id = id;
        this.trigger = trigger;
        this.lockConnection = lockConnection;
    }

    synchronized void pageLogged(int productsOnPage, int inserted) {
        pages++;
        scanned += productsOnPage;
        synced += inserted;
    }

    synchronized void productFailed() {
        failed++;
    }

    /** A window ended before its last page (the run failed or is stopping): the walk is not complete. */
    synchronized void windowLeftIncomplete() {
        walkIncomplete = true;
    }

    /** The first failure of any window fails the run; the other windows stop after their current page. */
    synchronized void failWith(RunFailure windowFailure) {
        if (failure == null) {
            failure = windowFailure;
        }
    }

    synchronized RunFailure failure() {
        return failure;
    }

    /** Every window reached its last page. */
    synchronized boolean walkComplete() {
        return !walkIncomplete && failure == null;
    }

    /** Walkers go on to their next page while this holds. */
    boolean goesOn() {
        return !stopRequested && failure() == null;
    }

    void stopAtNextPage() {
        stopRequested = true;
    }

    void walk(SyncWindows.Walk windows) {
        this.walk = windows;
    }

    SyncWindows.Walk walk() {
        return walk;
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

    /** Products the log already held (or another writer logged while this run inserted). */
    public synchronized int getSkipped() {
        return scanned - synced - failed;
    }

    /** Products that could not be logged (see stripe_sync_failures). */
    public synchronized int getFailed() {
        return failed;
    }

    public long durationMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    Connection lockConnection() {
        return lockConnection;
    }
}
