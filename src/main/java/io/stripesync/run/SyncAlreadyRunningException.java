package io.stripesync.run;

/** Another run, on this instance or another sharing the database, holds the sync's advisory lock. */
public class SyncAlreadyRunningException extends RuntimeException {

    public SyncAlreadyRunningException(String kind) {
        super(Run.EVENTS.equals(kind)
                ? "another events catch-up is already running (on this or another instance sharing the database)"
                : "another sync is already running (on this or another instance sharing the database)");
    }
}
