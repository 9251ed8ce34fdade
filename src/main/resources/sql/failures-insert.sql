-- A product that could not be logged ('failure'), or was logged with an alteration ('warning'), with the reason and
-- Stripe's JSON as it came.
INSERT INTO {schema}.stripe_sync_failures (run_id, stripe_product_id, reason, raw, severity) VALUES (?, ?, ?, ?, ?)
