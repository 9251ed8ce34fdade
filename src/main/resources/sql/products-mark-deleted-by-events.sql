-- Deletions told by product.deleted events (a deleted product cannot be re-read: the event is the evidence; no
-- complete walk is needed). deletions is a JSON array of {id, created (the event's unix time), eventId}, bound as a
-- parameter. A product already marked deleted is left alone: the change is recorded once, whoever saw it first.
-- Answers the number of products marked.
WITH told AS (
    SELECT d ->> 'id'                                AS stripe_product_id,
           to_timestamp((d ->> 'created')::bigint)   AS deleted_at,
           d ->> 'eventId'                           AS event_id
      FROM jsonb_array_elements(CAST(:?deletions AS jsonb)) AS d
),
gone AS (
    UPDATE {schema}.stripe_products_log l
       SET deleted_at = t.deleted_at, deleted_event_id = t.event_id
      FROM told t
     WHERE l.stripe_product_id = t.stripe_product_id
       AND l.deleted_at IS NULL
    RETURNING l.stripe_product_id, l.deleted_at, l.deleted_event_id
),
recorded AS (
    INSERT INTO {schema}.stripe_product_changes (stripe_product_id, run_id, source, field, old_value, new_value, event_id)
    SELECT stripe_product_id, CAST(:?runId AS bigint), CAST(:?source AS text), 'deleted', NULL, to_jsonb(deleted_at),
           deleted_event_id
      FROM gone
    RETURNING 1
)
SELECT count(*) AS deleted FROM recorded
