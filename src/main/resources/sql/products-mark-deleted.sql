-- After a complete walk of the whole catalogue: the log's products that Stripe no longer lists are marked deleted
-- (deleted_at; rows are never deleted) and each gets a 'deleted' row in stripe_product_changes. What the walk saw is
-- in stripe_sync_seen under the run's id (the products log records each page's ids there). Only rows of the key's
-- mode (livemode; NULL counts as either) are considered: a test-mode key never marks a live-mode catalogue deleted. Nor are rows logged (by another
-- writer) after the run started, or created in Stripe less than a minute before (Stripe's clock and the database's
-- may disagree): the walk may not have seen those; the next run decides.
-- Answers the number of products marked.
WITH run AS (
    SELECT started_at FROM {schema}.stripe_sync_runs WHERE id = CAST(:?runId AS bigint)
),
-- the candidates the walk did not see, as a set difference: hashed or sorted, never a nested loop over both lists
-- (stripe_sync_seen has no statistics while a walk fills it, so a NOT EXISTS could be planned as one)
unseen AS (
    SELECT l.stripe_product_id
      FROM {schema}.stripe_products_log l, run
     WHERE l.deleted_at IS NULL
       AND coalesce(l.livemode, CAST(:?livemode AS boolean)) = CAST(:?livemode AS boolean)
       AND coalesce(l.logged_at, '-infinity') < run.started_at
       AND coalesce(l.created_at, '-infinity') < run.started_at - interval '1 minute'
    EXCEPT
    SELECT s.stripe_product_id FROM {schema}.stripe_sync_seen s WHERE s.run_id = CAST(:?runId AS bigint)
),
gone AS (
    UPDATE {schema}.stripe_products_log l
       SET deleted_at = now()
      FROM unseen u
     WHERE l.stripe_product_id = u.stripe_product_id
       AND l.deleted_at IS NULL
    RETURNING l.stripe_product_id, l.deleted_at
),
recorded AS (
    INSERT INTO {schema}.stripe_product_changes (stripe_product_id, run_id, source, field, old_value, new_value)
    SELECT stripe_product_id, CAST(:?runId AS bigint), 'backfill', 'deleted', NULL, to_jsonb(deleted_at)
      FROM gone
    RETURNING 1
)
SELECT count(*) AS deleted FROM recorded
