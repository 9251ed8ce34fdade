-- stripe_price_columns calls stripe_currency_exponent. A function body finds the functions it calls through the
-- search_path of the session that runs it, and the service no longer sets one (every statement names the schema:
-- io.stripesync.database.SyncSchema), so with SYNC_DB_SCHEMA other than public the call is not found. The same
-- function, its calls naming the schema, as every statement of the service does. The other functions call none.
CREATE OR REPLACE FUNCTION stripe_price_columns(price jsonb,
        OUT price_id text, OUT currency text, OUT unit_amount bigint, OUT amount numeric, OUT price_usd numeric,
        OUT price_type text, OUT recurring_interval text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p.price_id, p.currency, p.unit_amount,
           round(p.unit_amount / power(10::numeric, "${flyway:defaultSchema}".stripe_currency_exponent(p.currency)),
                 "${flyway:defaultSchema}".stripe_currency_exponent(p.currency)),
           CASE WHEN p.currency = 'usd' THEN round(p.unit_amount / 100::numeric, 2) END,
           p.price_type, p.recurring_interval
      FROM (SELECT CASE jsonb_typeof(price)
                       WHEN 'object' THEN price ->> 'id'
                       WHEN 'string' THEN price #>> '{}'
                   END AS price_id,
                   lower(price ->> 'currency') AS currency,
                   CASE WHEN jsonb_typeof(price) = 'object'
                             AND coalesce(price ->> 'billing_scheme', 'per_unit') = 'per_unit'
                             AND jsonb_typeof(price -> 'unit_amount') = 'number'
                             AND (price ->> 'unit_amount') ~ '^[0-9]+$'
                        THEN (price ->> 'unit_amount')::bigint
                   END AS unit_amount,
                   price ->> 'type' AS price_type,
                   price -> 'recurring' ->> 'interval' AS recurring_interval) p
$$;
