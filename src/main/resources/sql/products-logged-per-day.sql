-- GET /stripe-sync-products/logged-per-day: products first logged on each of the last loggedDays days (UTC, today
-- included), days without any as 0, oldest first. Rows that predate the service (logged_at NULL) are not counted.
WITH days AS (
    SELECT generate_series(CAST(now() AT TIME ZONE 'UTC' AS date) - (CAST(:?loggedDays AS integer) - 1),
                           CAST(now() AT TIME ZONE 'UTC' AS date), interval '1 day')::date AS day
),
logged AS (
    SELECT CAST(logged_at AT TIME ZONE 'UTC' AS date) AS day, count(*) AS logged
      FROM {schema}.stripe_products_log
     WHERE logged_at >= (SELECT min(day) FROM days) AT TIME ZONE 'UTC'
     GROUP BY 1
)
SELECT coalesce(json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'logged', coalesce(l.logged, 0))
                         ORDER BY d.day), '[]')::text
  FROM days d
  LEFT JOIN logged l USING (day)
