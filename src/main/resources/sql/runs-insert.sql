-- A run starts: its trigger (schedule | http), for the schedule the fire time it is for, over HTTP who asked.
INSERT INTO stripe_sync_runs (trigger, status, scheduled_for, requested_by) VALUES (?, 'running', ?, ?) RETURNING id
