-- A run ends: succeeded, failed or interrupted, with its counts and, unless it succeeded, what went wrong.
UPDATE {schema}.stripe_sync_runs
   SET status = ?, finished_at = now(), pages = ?, scanned = ?, synced = ?, skipped = ?, failed = ?,
       changed = ?, deleted = ?, filtered = ?, altered = ?, events = ?, error = ?
 WHERE id = ?
