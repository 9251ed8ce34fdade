-- The history of the log: one row per field of a product that a run found changed in Stripe (name, description,
-- active, metadata, default_price) and per product found deleted or back. Append-only: rows are only ever inserted;
-- the trigger below refuses updates and deletes, so the history cannot be rewritten by accident.
CREATE TABLE IF NOT EXISTS stripe_product_changes (
    id                bigserial   PRIMARY KEY,
    stripe_product_id text        NOT NULL,
    detected_at       timestamptz NOT NULL DEFAULT now(),
    run_id            bigint,
    source            text        NOT NULL,
    field             text        NOT NULL,
    old_value         jsonb,
    new_value         jsonb
);

CREATE INDEX IF NOT EXISTS stripe_product_changes_product_idx
    ON stripe_product_changes (stripe_product_id, detected_at);
CREATE INDEX IF NOT EXISTS stripe_product_changes_detected_at_idx
    ON stripe_product_changes (detected_at, field);

CREATE OR REPLACE FUNCTION stripe_product_changes_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stripe_product_changes is append-only: its rows are never updated or deleted';
END $$;

DROP TRIGGER IF EXISTS stripe_product_changes_append_only ON stripe_product_changes;
CREATE TRIGGER stripe_product_changes_append_only
    BEFORE UPDATE OR DELETE ON stripe_product_changes
    FOR EACH ROW EXECUTE FUNCTION stripe_product_changes_append_only();
