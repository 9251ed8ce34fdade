-- GET /stripe-sync-products/stats: per project, the products logged, those logged in the last 24 hours, when the
-- project last had a product logged, and when the last successful walk (of any replica; not an events catch-up)
-- finished.
SELECT coalesce(json_agg(s ORDER BY s.project NULLS LAST), '[]')::text
  FROM (SELECT project,
               count(*) AS total_products,
               count(*) FILTER (WHERE logged_at >= now() - interval '24 hours') AS logged_last_24h,
               max(logged_at) AS last_logged_at,
               (SELECT max(finished_at) FROM {schema}.stripe_sync_runs WHERE kind = 'walk' AND status = 'succeeded')
                   AS last_successful_sync
          FROM {schema}.stripe_products_log
         GROUP BY project) s
