-- The last successful walk (the syncFreshness health check, the stripe_sync_last_success_timestamp_seconds gauge,
-- GET /stripe-sync-products/stats) is read every few seconds while the runs history grows by an events catch-up every
-- few minutes: this partial index holds one entry per successful walk. Safe on an existing database (IF NOT EXISTS;
-- building it reads stripe_sync_runs once, a table of one row per run).
CREATE INDEX IF NOT EXISTS stripe_sync_runs_walk_succeeded_idx
    ON stripe_sync_runs (finished_at) WHERE kind = 'walk' AND status = 'succeeded';
