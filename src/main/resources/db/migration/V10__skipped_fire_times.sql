-- Every fire time of the schedule accounted for. One that finds a run in progress (a run started over HTTP, or a
-- walk longer than the cron's interval) is recorded as a row of its own: status 'skipped', scheduled_for its fire
-- time, skipped_for_run_id the run it found in progress (the newest run that was not itself skipped), finished at
-- once. The first run that starts after it makes it up: runs-owed-fire-time.sql and run/SkippedFireTimes.java.
-- Safe on an existing database: a column added when missing, the status check replaced by a wider one.
ALTER TABLE stripe_sync_runs ADD COLUMN IF NOT EXISTS skipped_for_run_id bigint;

ALTER TABLE stripe_sync_runs DROP CONSTRAINT IF EXISTS stripe_sync_runs_status_check;
ALTER TABLE stripe_sync_runs ADD CONSTRAINT stripe_sync_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped'));
