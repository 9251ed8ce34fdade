-- Products a run could not log (no id, wrong types, metadata not an object, text PostgreSQL cannot store):
-- kept with the reason and the product exactly as Stripe sent it, so they are seen and fixed. The run that met
-- them ends 'failed'; the next run tries them again.
CREATE TABLE IF NOT EXISTS stripe_sync_failures (
    id                bigserial   PRIMARY KEY,
    run_id            bigint      NOT NULL REFERENCES stripe_sync_runs (id) ON DELETE CASCADE,
    stripe_product_id text,
    reason            text        NOT NULL,
    raw               text        NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS stripe_sync_failures_run_id_idx ON stripe_sync_failures (run_id);

ALTER TABLE stripe_sync_runs ADD COLUMN IF NOT EXISTS failed integer NOT NULL DEFAULT 0;
