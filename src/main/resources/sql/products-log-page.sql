-- Logs one page of products in one statement. The products parameter is the JSON array of the page's products that
-- the log lacks or that Stripe updated since the log last saw them (the route leaves out the rest), bound as a
-- parameter, never pasted into this text.
--   * A product the log lacks is inserted. ON CONFLICT keeps the log duplicate-free when another writer logged it
--     meanwhile.
--   * A product the log holds is compared with its row: each field that changed (name, description, active,
--     metadata, default_price) appends one row to stripe_product_changes, so does a product marked deleted that
--     Stripe lists again ('deleted', back to null), and the row's current-state columns are updated. created_at,
--     logged_at and source are never touched.
--   * A column the log never had is filled in without a change row: nothing was known, so nothing changed. That is
--     a NULL in a row the sync has never compared (stripe_updated_at NULL: logged by another writer), and the price
--     columns until price sync first wrote them (price_synced_at NULL).
--   * Older state never overwrites newer: a logged row Stripe updated later than this page says (a webhook or the
--     catch-up wrote it while a walk was under way) is left alone, and so is a product an event said was deleted
--     unless Stripe updated it after the deletion.
-- With price sync off (withPrices false) the price columns are neither written nor compared.
-- source names what found the change (backfill: a walk; events: the catch-up; webhook), eventIds the event that
-- prompted the re-read of each product (a JSON object, product id: event id; empty for a walk).
-- Answers one row: synced (products inserted) and changed (products with at least one change row).
WITH settings AS (
    SELECT CAST(:?withPrices AS boolean)     AS with_prices,
           CAST(:?projectKey AS text)        AS project_key,
           CAST(:?defaultProject AS text)    AS default_project,
           CAST(:?projectRenames AS jsonb)   AS project_renames,
           CAST(:?source AS text)            AS source,
           CAST(:?eventIds AS jsonb)         AS event_ids
),
page AS (
    SELECT p ->> 'id'                                          AS stripe_product_id,
           p ->> 'name'                                        AS name,
           p ->> 'description'                                 AS description,
           (p ->> 'active')::boolean                           AS active,
           (p ->> 'livemode')::boolean                         AS livemode,
           coalesce(p -> 'metadata', '{}'::jsonb)              AS metadata,
           {schema}.stripe_project_of(coalesce(p -> 'metadata', '{}'::jsonb), s.project_key, s.default_project,
                             s.project_renames)                AS project,
           to_timestamp((p ->> 'created')::bigint)             AS created_at,
           to_timestamp((p ->> 'updated')::bigint)             AS stripe_updated_at,
           s.with_prices,
           price.price_id                                      AS default_price_id,
           price.currency,
           price.unit_amount,
           price.amount,
           price.price_usd,
           price.price_type,
           price.recurring_interval
      FROM jsonb_array_elements(CAST(:?products AS jsonb)) AS p
     CROSS JOIN settings s
     CROSS JOIN LATERAL {schema}.stripe_price_columns(CASE WHEN s.with_prices THEN p -> 'default_price' END) AS price
),
-- the log rows of the page's products as they were before this statement (the rows it inserts are not among them)
compared AS (
    SELECT n.*,
           l.stripe_updated_at IS NOT NULL                     AS seen_before,
           l.name AS old_name, l.description AS old_description, l.active AS old_active,
           l.metadata AS old_metadata, l.project AS old_project, l.livemode AS old_livemode,
           l.deleted_at AS old_deleted_at, l.price_synced_at AS old_price_synced_at,
           l.default_price_id AS old_default_price_id, l.currency AS old_currency, l.unit_amount AS old_unit_amount,
           l.amount AS old_amount, l.price_usd AS old_price_usd, l.price_type AS old_price_type,
           l.recurring_interval AS old_recurring_interval,
           {schema}.stripe_project_of(l.metadata, s.project_key, s.default_project, s.project_renames) AS old_attributed_project
      FROM page n
      JOIN {schema}.stripe_products_log l USING (stripe_product_id)
     CROSS JOIN settings s
     WHERE (l.stripe_updated_at IS NULL OR n.stripe_updated_at >= l.stripe_updated_at)
       AND (l.deleted_event_id IS NULL OR n.stripe_updated_at > l.deleted_at)
),
changes AS (
    SELECT c.stripe_product_id, f.field, f.old_value, f.new_value
      FROM compared c
     CROSS JOIN LATERAL (VALUES
           ('name',          to_jsonb(c.old_name),        to_jsonb(c.name),
                             c.seen_before OR c.old_name IS NOT NULL),
           ('description',   to_jsonb(c.old_description), to_jsonb(c.description),
                             c.seen_before OR c.old_description IS NOT NULL),
           ('active',        to_jsonb(c.old_active),      to_jsonb(c.active),
                             c.seen_before OR c.old_active IS NOT NULL),
           ('metadata',      c.old_metadata,              c.metadata,
                             c.seen_before OR c.old_metadata IS NOT NULL),
           -- the price as one value: another default price, or another amount, is one change
           ('default_price', CASE WHEN c.old_default_price_id IS NOT NULL THEN jsonb_build_object(
                                 'id', c.old_default_price_id, 'currency', c.old_currency,
                                 'unit_amount', c.old_unit_amount, 'amount', c.old_amount) END,
                             CASE WHEN c.default_price_id IS NOT NULL THEN jsonb_build_object(
                                 'id', c.default_price_id, 'currency', c.currency,
                                 'unit_amount', c.unit_amount, 'amount', c.amount) END,
                             c.with_prices AND c.old_price_synced_at IS NOT NULL),
           -- marked deleted by an earlier run, listed by Stripe again
           ('deleted',       to_jsonb(c.old_deleted_at),  NULL::jsonb,
                             true)
           ) AS f(field, old_value, new_value, comparable)
     WHERE f.comparable AND f.old_value IS DISTINCT FROM f.new_value
),
recorded AS (
    INSERT INTO {schema}.stripe_product_changes (stripe_product_id, run_id, source, field, old_value, new_value, event_id)
    SELECT c.stripe_product_id, CAST(:?runId AS bigint), s.source, c.field, c.old_value, c.new_value,
           s.event_ids ->> c.stripe_product_id
      FROM changes c
     CROSS JOIN settings s
    RETURNING stripe_product_id
),
updated AS (
    UPDATE {schema}.stripe_products_log l
       SET name               = c.name,
           description        = c.description,
           active             = c.active,
           livemode           = coalesce(c.livemode, c.old_livemode),
           metadata           = c.metadata,
           -- re-attributed only when the metadata now says another project (or the row has none): a project the
           -- application set itself stays
           project            = CASE WHEN c.old_project IS NULL OR c.project IS DISTINCT FROM c.old_attributed_project
                                     THEN c.project ELSE c.old_project END,
           stripe_updated_at  = c.stripe_updated_at,
           default_price_id   = CASE WHEN c.with_prices THEN c.default_price_id   ELSE c.old_default_price_id END,
           currency           = CASE WHEN c.with_prices THEN c.currency           ELSE c.old_currency END,
           unit_amount        = CASE WHEN c.with_prices THEN c.unit_amount        ELSE c.old_unit_amount END,
           amount             = CASE WHEN c.with_prices THEN c.amount             ELSE c.old_amount END,
           price_usd          = CASE WHEN c.with_prices THEN c.price_usd          ELSE c.old_price_usd END,
           price_type         = CASE WHEN c.with_prices THEN c.price_type         ELSE c.old_price_type END,
           recurring_interval = CASE WHEN c.with_prices THEN c.recurring_interval ELSE c.old_recurring_interval END,
           price_synced_at    = CASE WHEN c.with_prices THEN now()                ELSE c.old_price_synced_at END,
           deleted_at         = NULL,
           deleted_event_id   = NULL
      FROM compared c
     WHERE l.stripe_product_id = c.stripe_product_id
),
inserted AS (
    INSERT INTO {schema}.stripe_products_log
           (stripe_product_id, name, description, active, livemode, metadata, project, created_at, stripe_updated_at,
            default_price_id, currency, unit_amount, amount, price_usd, price_type, recurring_interval,
            price_synced_at, source)
    SELECT stripe_product_id, name, description, active, livemode, metadata, project, created_at, stripe_updated_at,
           default_price_id, currency, unit_amount, amount, price_usd, price_type, recurring_interval,
           CASE WHEN with_prices THEN now() END, 'backfill'
      FROM page
        ON CONFLICT (stripe_product_id) DO NOTHING
    RETURNING stripe_product_id
)
SELECT (SELECT count(*) FROM inserted)                          AS synced,
       (SELECT count(DISTINCT stripe_product_id) FROM recorded) AS changed
