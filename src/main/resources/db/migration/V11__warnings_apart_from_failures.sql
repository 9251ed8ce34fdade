-- A product stored with an alteration (a NUL character, which PostgreSQL text cannot hold, replaced by U+FFFD) is
-- logged, and recorded in stripe_sync_failures as a 'warning' rather than a 'failure': its run still succeeds.
-- Safe on an existing database: only IF NOT EXISTS additions with defaults that describe every existing row.

ALTER TABLE stripe_sync_failures ADD COLUMN IF NOT EXISTS severity text NOT NULL DEFAULT 'failure';

ALTER TABLE stripe_sync_runs ADD COLUMN IF NOT EXISTS altered integer NOT NULL DEFAULT 0;
