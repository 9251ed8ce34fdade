-- Holding the walk lock, no other walk is in progress: the product ids an earlier walk saw (stripe_sync_seen, kept
-- for that walk's deletion check) are of no more use.
DELETE FROM {schema}.stripe_sync_seen
