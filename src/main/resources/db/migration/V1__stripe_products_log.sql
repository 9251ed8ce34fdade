-- The audit log of Stripe products.
-- Most databases already have this table, written by the application that creates the products. This migration
-- adopts it: the table is created only when missing, extended with the columns it lacks, and never dropped or
-- rewritten. Rows already there count as logged.

CREATE TABLE IF NOT EXISTS stripe_products_log (
    id bigserial PRIMARY KEY
);

ALTER TABLE stripe_products_log
    ADD COLUMN IF NOT EXISTS stripe_product_id text,
    ADD COLUMN IF NOT EXISTS name              text,
    ADD COLUMN IF NOT EXISTS description       text,
    ADD COLUMN IF NOT EXISTS active            boolean,
    ADD COLUMN IF NOT EXISTS livemode          boolean,
    ADD COLUMN IF NOT EXISTS metadata          jsonb,
    ADD COLUMN IF NOT EXISTS project           text,
    ADD COLUMN IF NOT EXISTS created_at        timestamptz,
    ADD COLUMN IF NOT EXISTS stripe_updated_at timestamptz,
    ADD COLUMN IF NOT EXISTS logged_at         timestamptz,
    ADD COLUMN IF NOT EXISTS source            text;

-- Set apart from ADD COLUMN so rows that predate this service keep logged_at NULL (unknown) instead of "now".
ALTER TABLE stripe_products_log ALTER COLUMN logged_at SET DEFAULT now();

-- Inserts rely on a unique index on stripe_product_id (ON CONFLICT ... DO NOTHING). Duplicates already in an
-- adopted table make it impossible: stop, name them, and delete nothing (this whole migration rolls back).
DO $$
DECLARE
    duplicates text;
BEGIN
    SELECT string_agg(format('%s (%s rows)', stripe_product_id, copies), ', ')
      INTO duplicates
      FROM (SELECT stripe_product_id, count(*) AS copies
              FROM stripe_products_log
             GROUP BY stripe_product_id
            HAVING count(*) > 1
             ORDER BY stripe_product_id
             LIMIT 20) d;
    IF duplicates IS NOT NULL THEN
        RAISE EXCEPTION 'stripe_products_log holds duplicate stripe_product_id values, so its unique index cannot be built: %. Nothing was changed. Inspect them with: SELECT * FROM stripe_products_log WHERE stripe_product_id IN (SELECT stripe_product_id FROM stripe_products_log GROUP BY 1 HAVING count(*) > 1) ORDER BY stripe_product_id;', duplicates;
    END IF;

    -- an adopted table may already have its own unique index or constraint on the column: reuse it
    IF NOT EXISTS (SELECT 1 FROM stripe_products_log WHERE stripe_product_id IS NULL) THEN
        ALTER TABLE stripe_products_log ALTER COLUMN stripe_product_id SET NOT NULL;
    END IF;

    IF NOT EXISTS (
        SELECT 1
          FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = 'stripe_products_log'::regclass
           AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL
           AND a.attname = 'stripe_product_id') THEN
        CREATE UNIQUE INDEX stripe_products_log_stripe_product_id_key ON stripe_products_log (stripe_product_id);
    END IF;
END $$;

-- An adopted table whose key the application filled in itself has no default for it; give it one so rows this
-- service inserts get a key too: gen_random_uuid() for a uuid key, a sequence after the highest id for a numeric one.
DO $$
DECLARE
    key_column text;
    key_type   text;
BEGIN
    SELECT a.attname, format_type(a.atttypid, a.atttypmod)
      INTO key_column, key_type
      FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE i.indrelid = 'stripe_products_log'::regclass AND i.indisprimary AND i.indnkeyatts = 1
       AND a.atthasdef = false AND a.attidentity = '';
    IF key_column IS NULL THEN
        RETURN;
    ELSIF key_type = 'uuid' THEN
        EXECUTE format('ALTER TABLE stripe_products_log ALTER COLUMN %I SET DEFAULT gen_random_uuid()', key_column);
    ELSIF key_type IN ('bigint', 'integer') THEN
        CREATE SEQUENCE IF NOT EXISTS stripe_products_log_key_seq;
        EXECUTE format('SELECT setval(''stripe_products_log_key_seq'', coalesce((SELECT max(%I) FROM stripe_products_log), 0) + 1, false)', key_column);
        EXECUTE format('ALTER TABLE stripe_products_log ALTER COLUMN %I SET DEFAULT nextval(''stripe_products_log_key_seq'')', key_column);
    END IF;
END $$;

CREATE INDEX IF NOT EXISTS stripe_products_log_created_at_idx ON stripe_products_log (created_at);
CREATE INDEX IF NOT EXISTS stripe_products_log_project_idx ON stripe_products_log (project);
