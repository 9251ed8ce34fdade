-- A run starts: its trigger (schedule | http) and, for the schedule, the fire time it is for.
INSERT INTO {schema}.stripe_sync_runs (trigger, status, scheduled_for) VALUES (?, 'running', ?) RETURNING id
