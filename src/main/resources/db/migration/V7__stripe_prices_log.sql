-- Every price of the account (with SYNC_PRICES_ALL=true), not only products' default prices: one row per price.
-- A price's amount never changes in Stripe; what can (active, nickname, lookup_key, metadata) is kept current.
CREATE TABLE IF NOT EXISTS stripe_prices_log (
    id                 bigserial   PRIMARY KEY,
    stripe_price_id    text        NOT NULL,
    stripe_product_id  text,
    active             boolean,
    livemode           boolean,
    currency           text,
    unit_amount        bigint,
    unit_amount_decimal text,
    amount             numeric,
    price_usd          numeric,
    billing_scheme     text,
    price_type         text,
    recurring_interval text,
    recurring_interval_count integer,
    nickname           text,
    lookup_key         text,
    metadata           jsonb,
    created_at         timestamptz,
    logged_at          timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz
);

CREATE UNIQUE INDEX IF NOT EXISTS stripe_prices_log_stripe_price_id_key ON stripe_prices_log (stripe_price_id);
CREATE INDEX IF NOT EXISTS stripe_prices_log_product_idx ON stripe_prices_log (stripe_product_id);
