-- After a complete walk of the whole catalogue: the log's products that Stripe no longer lists are marked deleted
-- (deleted_at; rows are never deleted) and each gets a 'deleted' row in stripe_product_changes. seenIds is the JSON
-- array of every product id the walk saw, bound as a parameter. Only rows of the key's mode (livemode; NULL counts as
-- either) are considered: a test-mode key never marks a live-mode catalogue deleted.
-- Answers the number of products marked.
WITH seen AS (
    SELECT jsonb_array_elements_text(CAST(:?seenIds AS jsonb)) AS stripe_product_id
),
gone AS (
    UPDATE stripe_products_log l
       SET deleted_at = now()
     WHERE l.deleted_at IS NULL
       AND coalesce(l.livemode, CAST(:?livemode AS boolean)) = CAST(:?livemode AS boolean)
       AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.stripe_product_id = l.stripe_product_id)
    RETURNING l.stripe_product_id, l.deleted_at
),
recorded AS (
    INSERT INTO stripe_product_changes (stripe_product_id, run_id, source, field, old_value, new_value)
    SELECT stripe_product_id, CAST(:?runId AS bigint), 'backfill', 'deleted', NULL, to_jsonb(deleted_at)
      FROM gone
    RETURNING 1
)
SELECT count(*) AS deleted FROM recorded
