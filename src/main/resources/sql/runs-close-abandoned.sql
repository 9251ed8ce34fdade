-- Holding the run lock of a kind, no run of that kind can be in progress: a 'running' row is one whose process died.
UPDATE {schema}.stripe_sync_runs
   SET status = 'interrupted', finished_at = now(),
       error = 'the process running it stopped before the run finished'
 WHERE status = 'running' AND kind = ?
