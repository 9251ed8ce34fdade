-- A fire time of the schedule found a run in progress, here or on another instance: recorded as 'skipped', naming
-- that run (the newest run that is not itself a skipped fire time). Every run with a higher id started after this
-- fire time, so the first of them makes it up (runs-owed-fire-time.sql).
WITH in_progress AS (
    SELECT max(id) AS id FROM {schema}.stripe_sync_runs WHERE status <> 'skipped' AND kind = 'walk'
)
INSERT INTO {schema}.stripe_sync_runs (trigger, status, scheduled_for, started_at, finished_at, skipped_for_run_id,
                                      error)
SELECT 'schedule', 'skipped', ?, now(), now(), id,
       'run ' || coalesce(id::text, '(not recorded yet)') || ' was in progress: a run follows when it ends'
  FROM in_progress
RETURNING id, skipped_for_run_id
