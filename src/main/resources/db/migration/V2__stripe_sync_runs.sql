-- One row per sync run: what started it, how it ended, what it did. A run that did not finish its walk is never
-- 'succeeded': it is 'failed' (with the error), or 'interrupted' when its process stopped before it ended.
CREATE TABLE IF NOT EXISTS stripe_sync_runs (
    id          bigserial   PRIMARY KEY,
    trigger     text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    pages       integer     NOT NULL DEFAULT 0,
    scanned     integer     NOT NULL DEFAULT 0,
    synced      integer     NOT NULL DEFAULT 0,
    skipped     integer     NOT NULL DEFAULT 0,
    error       text
);

CREATE INDEX IF NOT EXISTS stripe_sync_runs_started_at_idx ON stripe_sync_runs (started_at DESC);
