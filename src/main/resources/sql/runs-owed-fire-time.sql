-- The newest skipped fire time that no run has made up yet, if any. A skipped fire time is made up by any run with
-- a higher id than the run it found in progress (skipped_for_run_id): runs take ids in the order they take the run
-- lock, and the run in progress held it at the fire time, so every later run started after the fire time and saw
-- what Stripe had then. Ids, not timestamps: the instances' clocks and the database's need not agree.
WITH latest AS (
    SELECT coalesce(max(id), 0) AS id FROM {schema}.stripe_sync_runs WHERE status <> 'skipped' AND kind = 'walk'
)
SELECT s.scheduled_for
  FROM {schema}.stripe_sync_runs s
 CROSS JOIN latest
 WHERE s.id > latest.id
   AND s.status = 'skipped'
   AND coalesce(s.skipped_for_run_id, 0) >= latest.id
 ORDER BY s.id DESC
 LIMIT 1
