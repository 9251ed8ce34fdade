-- Partial indexes for what is read often while the runs history grows by an events catch-up every few minutes. Safe
-- on an existing database (IF NOT EXISTS; building each reads stripe_sync_runs once, a table of one row per run).

-- The last successful walk (the syncFreshness health check, the stripe_sync_last_success_timestamp_seconds gauge,
-- GET /stripe-sync-products/stats), read every few seconds. One entry per successful walk.
CREATE INDEX IF NOT EXISTS stripe_sync_runs_walk_succeeded_idx
    ON stripe_sync_runs (finished_at) WHERE kind = 'walk' AND status = 'succeeded';

-- The last failed run (the status page's overview, every minute): without it, a history with no recent failure is
-- read backwards to its start. One entry per failed run.
CREATE INDEX IF NOT EXISTS stripe_sync_runs_failed_idx ON stripe_sync_runs (id) WHERE status = 'failed';
