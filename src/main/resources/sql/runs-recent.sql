-- GET /stripe-sync-products/runs?limit=N: the newest runs first, as one JSON array.
SELECT coalesce(json_agg(r ORDER BY r.id DESC), '[]')::text
  FROM (SELECT id, trigger, requested_by, status, started_at, finished_at,
               round(extract(epoch FROM finished_at - started_at) * 1000) AS duration_ms,
               pages, scanned, synced, changed, deleted, filtered, skipped, failed, altered, error
          FROM stripe_sync_runs
         ORDER BY id DESC
         LIMIT CAST(:?limit AS integer)) r
