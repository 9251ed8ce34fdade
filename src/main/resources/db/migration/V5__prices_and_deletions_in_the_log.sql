-- Phase two of the log: the default price of each product, deletions in Stripe, and the counts of the new steps.
-- Safe on an existing database: only IF NOT EXISTS additions and CREATE OR REPLACE; nothing is rewritten.

ALTER TABLE stripe_products_log
    ADD COLUMN IF NOT EXISTS default_price_id   text,
    ADD COLUMN IF NOT EXISTS currency           text,
    ADD COLUMN IF NOT EXISTS unit_amount        bigint,
    ADD COLUMN IF NOT EXISTS amount             numeric,
    ADD COLUMN IF NOT EXISTS price_usd          numeric,
    ADD COLUMN IF NOT EXISTS price_type         text,
    ADD COLUMN IF NOT EXISTS recurring_interval text,
    -- when the sync last wrote the price columns from Stripe; NULL: never, so their first fill is not a change
    ADD COLUMN IF NOT EXISTS price_synced_at    timestamptz,
    -- when a complete walk of the catalogue no longer found the product; rows are never deleted
    ADD COLUMN IF NOT EXISTS deleted_at         timestamptz;

ALTER TABLE stripe_sync_runs
    ADD COLUMN IF NOT EXISTS changed  integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS deleted  integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS filtered integer NOT NULL DEFAULT 0;

-- Digits after the decimal point in Stripe's amounts of a currency (https://docs.stripe.com/currencies): 0 for the
-- zero-decimal currencies, 3 for the three-decimal ones, 2 for every other (ISK, HUF and TWD included: Stripe's API
-- keeps two decimals for them).
CREATE OR REPLACE FUNCTION stripe_currency_exponent(currency text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
               WHEN lower(currency) IN ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx',
                                        'vnd', 'vuv', 'xaf', 'xof', 'xpf') THEN 0
               WHEN lower(currency) IN ('bhd', 'jod', 'kwd', 'omr', 'tnd') THEN 3
               ELSE 2
           END
$$;

-- The logged columns of a Stripe price: an expanded price object, a bare price id (price not expanded), or NULL.
-- unit_amount is Stripe's integer amount in minor units, only for a per-unit price that has one: tiered prices,
-- prices given only as unit_amount_decimal and customer-chosen amounts get NULL, never a guessed amount.
-- amount is unit_amount in the currency's major unit (19.99 eur, 500 jpy); price_usd the same, for usd only.
CREATE OR REPLACE FUNCTION stripe_price_columns(price jsonb,
        OUT price_id text, OUT currency text, OUT unit_amount bigint, OUT amount numeric, OUT price_usd numeric,
        OUT price_type text, OUT recurring_interval text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p.price_id, p.currency, p.unit_amount,
           round(p.unit_amount / power(10::numeric, stripe_currency_exponent(p.currency)),
                 stripe_currency_exponent(p.currency)),
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

-- The project a product is attributed to: the value of its metadata key (SYNC_PROJECT_KEY), else the default project
-- (SYNC_DEFAULT_PROJECT), renamed through the mapping of old to new names (sync.project.renames) when listed there.
CREATE OR REPLACE FUNCTION stripe_project_of(metadata jsonb, project_key text, default_project text, renames jsonb)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(renames ->> p.name, p.name)
      FROM (SELECT coalesce(metadata ->> project_key, nullif(default_project, '')) AS name) p
$$;
