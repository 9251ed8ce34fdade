-- Inserts one page's missing products in one statement. The products header is the JSON array of Stripe product
-- objects, bound as a parameter (never pasted into this text); Stripe's field names map to the log's columns here.
-- ON CONFLICT keeps the log duplicate-free even when another writer or run logged a product meanwhile.
INSERT INTO stripe_products_log
       (stripe_product_id, name, description, active, livemode, metadata, project,
        created_at, stripe_updated_at, source)
SELECT p ->> 'id',
       p ->> 'name',
       p ->> 'description',
       (p ->> 'active')::boolean,
       (p ->> 'livemode')::boolean,
       coalesce(p -> 'metadata', '{}'::jsonb),
       coalesce(p -> 'metadata' ->> 'project', nullif(:?defaultProject, '')),
       to_timestamp((p ->> 'created')::bigint),
       to_timestamp((p ->> 'updated')::bigint),
       'backfill'
  FROM jsonb_array_elements(CAST(:?products AS jsonb)) AS p
    ON CONFLICT (stripe_product_id) DO NOTHING
