-- The cron fire time a scheduled run is for (Quartz's scheduled fire time); NULL for runs started over HTTP or by
-- hand. With several instances sharing one schedule, it shows that each fire time ran once.
ALTER TABLE stripe_sync_runs ADD COLUMN IF NOT EXISTS scheduled_for timestamptz;
