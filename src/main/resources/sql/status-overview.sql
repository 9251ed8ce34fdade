-- GET /stripe-sync-products/overview: the status page's first glance, as one JSON object. The last walk and the
-- last catch-up (a skipped fire time is not a walk: it did nothing), the last failed run (its set-aside products
-- are at /runs/{id}), and the next fire time of each schedule as the Quartz cluster holds it (the same for every
-- instance; NULL when no instance has the schedule on).
-- run is inlined where it is used (NOT MATERIALIZED), so each 'last ...' reads the history backwards by the primary
-- key and stops at the first match (the last failed run through its partial index, V15), rather than reading the
-- whole history, which grows by a catch-up every few minutes
WITH run AS NOT MATERIALIZED (
    SELECT id, kind, trigger, status, started_at, finished_at,
           round(extract(epoch FROM coalesce(finished_at, now()) - started_at) * 1000) AS duration_ms,
           pages, scanned, synced, changed, deleted, filtered, skipped, failed, events, error
      FROM {schema}.stripe_sync_runs
),
fire AS (
    SELECT t.trigger_name, t.trigger_state, c.cron_expression, c.time_zone_id,
           CASE WHEN t.next_fire_time > 0 THEN to_timestamp(t.next_fire_time / 1000.0) END AS next_fire_time
      FROM {schema}.qrtz_triggers t
      LEFT JOIN {schema}.qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)
     WHERE t.sched_name = 'stripe-sync-products' AND t.trigger_group = 'stripe-sync'
)
SELECT json_build_object(
           'now', now(),
           'last_walk', (SELECT to_json(r) FROM run r WHERE kind = 'walk' AND status <> 'skipped'
                          ORDER BY id DESC LIMIT 1),
           'last_catch_up', (SELECT to_json(r) FROM run r WHERE kind = 'events' ORDER BY id DESC LIMIT 1),
           'last_failed_run', (SELECT to_json(r) FROM run r WHERE status = 'failed' ORDER BY id DESC LIMIT 1),
           'next_walk', (SELECT to_json(f) FROM fire f WHERE trigger_name = 'scheduled-sync'),
           'next_catch_up', (SELECT to_json(f) FROM fire f WHERE trigger_name = 'events-catch-up'),
           'freshness', CAST(:?freshness AS json),
           'windows', json_build_object(
               'run_days', CAST(:?runDays AS integer),
               'logged_days', CAST(:?loggedDays AS integer),
               'recent_changes', CAST(:?recentChanges AS integer),
               'drift_days', CAST(:?driftDays AS integer),
               'drift_top', CAST(:?driftTop AS integer)))::text
