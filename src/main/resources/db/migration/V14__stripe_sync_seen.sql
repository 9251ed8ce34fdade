-- The product ids a walk of the whole catalogue saw, page by page, for its deletion check at the end (one set
-- difference against the log: sql/products-mark-deleted.sql), so that they are kept out of the service's heap however
-- large the catalogue. Transient: emptied when the next walk starts; UNLOGGED (no WAL, emptied after a crash, not replicated), as nothing here must survive.
-- No key or index: rows are only appended, then read once, whole, by that set difference.
CREATE UNLOGGED TABLE IF NOT EXISTS stripe_sync_seen (
    run_id            bigint NOT NULL,
    stripe_product_id text   NOT NULL
);

-- like every table of the service (see the row level security migration): nothing for Supabase's API roles
ALTER TABLE stripe_sync_seen ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
        REVOKE ALL ON stripe_sync_seen FROM anon;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        REVOKE ALL ON stripe_sync_seen FROM authenticated;
    END IF;
END $$;
