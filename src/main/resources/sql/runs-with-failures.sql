-- GET /stripe-sync-products/runs/{id}: one run and the products it could not log, as one JSON object
-- (no row when the run does not exist).
SELECT json_build_object(
           'run', to_jsonb(r),
           'failures', coalesce((SELECT json_agg(f ORDER BY f.id)
                                   FROM (SELECT id, stripe_product_id, reason, raw, recorded_at
                                           FROM {schema}.stripe_sync_failures
                                          WHERE run_id = r.id) f), '[]'))::text
  FROM {schema}.stripe_sync_runs r
 WHERE r.id = CAST(:?id AS bigint)
