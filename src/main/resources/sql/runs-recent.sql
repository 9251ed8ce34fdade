-- GET /stripe-sync-products/runs?limit=N: the newest runs first, as one JSON array. A fire time of the schedule
-- that found a run in progress is a row too: status 'skipped', skipped_for_run_id the run it found.
SELECT coalesce(json_agg(r ORDER BY r.id DESC), '[]')::text
  FROM (SELECT id, kind, trigger, requested_by, status, started_at, finished_at,
               round(extract(epoch FROM finished_at - started_at) * 1000) AS duration_ms,
               pages, scanned, synced, changed, deleted, filtered, skipped, failed, altered, events, error,
               scheduled_for, skipped_for_run_id
          FROM {schema}.stripe_sync_runs
         ORDER BY id DESC
         LIMIT CAST(:?limit AS integer)) r
