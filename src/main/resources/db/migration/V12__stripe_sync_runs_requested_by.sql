-- Who asked for a run started over HTTP: the caller's address and user agent (NULL for the schedule and for runs
-- recorded before this column). Safe on an existing database: an IF NOT EXISTS addition, nullable.
ALTER TABLE stripe_sync_runs ADD COLUMN IF NOT EXISTS requested_by text;
