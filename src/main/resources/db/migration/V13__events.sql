-- Events: the log hears of a change within seconds (signed webhooks) or minutes (the events catch-up), with the
-- daily walk as the safety net. Safe on an existing database: IF NOT EXISTS additions with defaults that describe
-- every existing row (every run so far was a walk).

-- what a run was: a walk of the catalogue or a catch-up on Stripe's events; and how many events a catch-up read
ALTER TABLE stripe_sync_runs
    ADD COLUMN IF NOT EXISTS kind   text    NOT NULL DEFAULT 'walk',
    ADD COLUMN IF NOT EXISTS events integer NOT NULL DEFAULT 0;

-- the event that caused a change row (NULL for a walk's)
ALTER TABLE stripe_product_changes ADD COLUMN IF NOT EXISTS event_id text;

-- a deletion told by a product.deleted event (deleted_at is then the event's time): an older state of the product,
-- from a walk that listed it before it was deleted, never brings it back
ALTER TABLE stripe_products_log ADD COLUMN IF NOT EXISTS deleted_event_id text;

-- where the catch-up is: the newest event it applied, and when it last read Stripe's events (row 'events')
CREATE TABLE IF NOT EXISTS stripe_sync_cursors (
    name          text        PRIMARY KEY,
    event_id      text,
    event_created timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- every event seen, once: deliveries are at least once and out of order, and the catch-up sees webhooks' events
-- again; a second sighting changes nothing
CREATE TABLE IF NOT EXISTS stripe_events_log (
    event_id      text        PRIMARY KEY,
    type          text        NOT NULL,
    event_created timestamptz NOT NULL,
    source        text        NOT NULL,
    outcome       text        NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS stripe_events_log_received_at_idx ON stripe_events_log (received_at);

-- like every table of the service (see the row level security migration): nothing for Supabase's API roles
ALTER TABLE stripe_sync_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_events_log ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON stripe_sync_cursors, stripe_events_log FROM anon;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON stripe_sync_cursors, stripe_events_log FROM authenticated;
    END IF;
END $$;
