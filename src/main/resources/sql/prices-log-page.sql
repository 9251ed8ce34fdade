-- Logs one page of GET /v1/prices into stripe_prices_log in one statement: the prices of the products in the log
-- (a product the filters leave out has its prices left out too). A price new to the log is inserted; for one it
-- holds, what Stripe lets change (active, nickname, lookup_key, metadata) is updated when it did. The prices
-- parameter is the page's JSON array, bound as a parameter.
WITH page AS (
    SELECT pr ->> 'id'                                            AS stripe_price_id,
           CASE jsonb_typeof(pr -> 'product') WHEN 'object' THEN pr -> 'product' ->> 'id'
                                               ELSE pr ->> 'product' END AS stripe_product_id,
           (pr ->> 'active')::boolean                             AS active,
           (pr ->> 'livemode')::boolean                           AS livemode,
           price.currency,
           price.unit_amount,
           pr ->> 'unit_amount_decimal'                           AS unit_amount_decimal,
           price.amount,
           price.price_usd,
           pr ->> 'billing_scheme'                                AS billing_scheme,
           price.price_type,
           price.recurring_interval,
           (pr -> 'recurring' ->> 'interval_count')::integer      AS recurring_interval_count,
           pr ->> 'nickname'                                      AS nickname,
           pr ->> 'lookup_key'                                    AS lookup_key,
           coalesce(pr -> 'metadata', '{}'::jsonb)                AS metadata,
           to_timestamp((pr ->> 'created')::bigint)               AS created_at
      FROM jsonb_array_elements(CAST(:?prices AS jsonb)) AS pr
     CROSS JOIN LATERAL {schema}.stripe_price_columns(pr) AS price
     WHERE pr ->> 'id' IS NOT NULL
)
INSERT INTO {schema}.stripe_prices_log AS logged
       (stripe_price_id, stripe_product_id, active, livemode, currency, unit_amount, unit_amount_decimal, amount,
        price_usd, billing_scheme, price_type, recurring_interval, recurring_interval_count, nickname, lookup_key,
        metadata, created_at)
SELECT stripe_price_id, stripe_product_id, active, livemode, currency, unit_amount, unit_amount_decimal, amount,
       price_usd, billing_scheme, price_type, recurring_interval, recurring_interval_count, nickname, lookup_key,
       metadata, created_at
  FROM page
 WHERE EXISTS (SELECT 1 FROM {schema}.stripe_products_log l WHERE l.stripe_product_id = page.stripe_product_id)
    ON CONFLICT (stripe_price_id) DO UPDATE
   SET active = EXCLUDED.active, nickname = EXCLUDED.nickname, lookup_key = EXCLUDED.lookup_key,
       metadata = EXCLUDED.metadata, updated_at = now()
 WHERE (logged.active, logged.nickname, logged.lookup_key, logged.metadata)
       IS DISTINCT FROM (EXCLUDED.active, EXCLUDED.nickname, EXCLUDED.lookup_key, EXCLUDED.metadata)
