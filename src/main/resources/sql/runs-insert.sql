-- A run starts: its kind (walk | events), its trigger (schedule | http) and, for the schedule, the fire time it is for.
INSERT INTO {schema}.stripe_sync_runs (kind, trigger, status, scheduled_for) VALUES (?, ?, 'running', ?) RETURNING id
