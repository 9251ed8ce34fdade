-- A run starts: its kind (walk | events), its trigger (schedule | http), for the schedule the fire time it is for,
-- over HTTP who asked.
INSERT INTO {schema}.stripe_sync_runs (kind, trigger, status, scheduled_for, requested_by)
VALUES (?, ?, 'running', ?, ?) RETURNING id
