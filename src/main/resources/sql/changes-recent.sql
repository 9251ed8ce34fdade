-- GET /stripe-sync-products/changes: the newest recentChanges rows of the log's history, newest first: which
-- product, which field, the value before and after (as stored: text, a flag, a metadata object, a price object,
-- the deletion time), what found it (backfill, webhook, events) and when.
SELECT coalesce(json_agg(c ORDER BY c.detected_at DESC, c.id DESC), '[]')::text
  FROM (SELECT c.id, c.stripe_product_id AS product_id, l.name AS product_name, c.field, c.old_value, c.new_value,
               c.source, c.detected_at, c.run_id
          FROM {schema}.stripe_product_changes c
          LEFT JOIN {schema}.stripe_products_log l USING (stripe_product_id)
         ORDER BY c.detected_at DESC, c.id DESC
         LIMIT CAST(:?recentChanges AS integer)) c
