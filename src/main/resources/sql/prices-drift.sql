-- Price drift: every change of a product's default price that a sync run found since a moment, oldest first, with
-- the amounts before and after (in the currency's major unit: 19.99 eur, 500 jpy) and the change in percent (when
-- both amounts exist, in the same currency). The since parameter is bound, never pasted into this text.
SELECT c.stripe_product_id                                                 AS product_id,
       l.name                                                              AS product_name,
       c.old_value ->> 'id'                                                AS old_price_id,
       c.new_value ->> 'id'                                                AS new_price_id,
       c.old_value ->> 'currency'                                          AS old_currency,
       c.new_value ->> 'currency'                                          AS new_currency,
       (c.old_value ->> 'amount')::numeric                                 AS old_amount,
       (c.new_value ->> 'amount')::numeric                                 AS new_amount,
       CASE WHEN c.old_value ->> 'currency' = c.new_value ->> 'currency'
                 AND (c.old_value ->> 'unit_amount')::numeric > 0
            THEN round(100 * ((c.new_value ->> 'unit_amount')::numeric - (c.old_value ->> 'unit_amount')::numeric)
                           / (c.old_value ->> 'unit_amount')::numeric, 2)
       END                                                                 AS change_percent,
       to_char(c.detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detected_at,
       c.run_id
  FROM {schema}.stripe_product_changes c
  LEFT JOIN {schema}.stripe_products_log l USING (stripe_product_id)
 WHERE c.field = 'default_price'
   AND c.detected_at >= CAST(:?since AS timestamptz)
 ORDER BY c.detected_at, c.id
