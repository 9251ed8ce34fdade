package io.stripesync.run;

/** Another run, on this instance or another sharing the database, holds the sync's advisory lock. */
public class SyncAlreadyRunningException extends RuntimeException {

    public SyncAlreadyRunningException() {
        super("another sync is already running (on this or another instance sharing the database)");
    }
}
