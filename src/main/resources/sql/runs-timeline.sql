-- GET /stripe-sync-products/timeline: the walks started in the last runDays days (at most maxRuns, the newest),
-- oldest first, for the status page's runs chart. Catch-ups run every few minutes: they are in the overview and
-- /runs, not here, or they would be most of the bars. A skipped fire time is here (it shows a night without a run).
SELECT coalesce(json_agg(r ORDER BY r.id), '[]')::text
  FROM (SELECT id, trigger, status, started_at, finished_at,
               round(extract(epoch FROM coalesce(finished_at, now()) - started_at) * 1000) AS duration_ms,
               scanned, synced, changed, deleted, failed, error
          FROM {schema}.stripe_sync_runs
         WHERE kind = 'walk'
           AND started_at >= now() - make_interval(days => CAST(:?runDays AS integer))
         ORDER BY id DESC
         LIMIT CAST(:?maxRuns AS integer)) r
