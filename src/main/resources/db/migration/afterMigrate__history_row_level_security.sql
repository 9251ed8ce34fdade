-- Flyway's history table gets what V8__row_level_security.sql gives the service's other tables: row level security
-- on, no policy, no privilege for Supabase's API roles. A callback, run after every migrate, because a migration
-- cannot alter the history table (Flyway holds it while a migration runs); guarded, so a start-up finding it done
-- changes nothing, and a role that may not alter it leaves a warning instead of stopping the service.
DO $$
DECLARE
    schema_name text := '${flyway:defaultSchema}';
    history     text := '${flyway:table}';
    t           record;
    api_role    text;
BEGIN
    SELECT c.oid, c.relowner, c.relrowsecurity INTO t
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = schema_name AND c.relname = history;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF NOT t.relrowsecurity THEN
        IF pg_has_role(current_user, t.relowner, 'USAGE') THEN
            EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', schema_name, history);
        ELSE
            RAISE WARNING 'row level security left off on %.%: it is owned by %, and % may not alter it',
                schema_name, history, pg_get_userbyid(t.relowner), current_user;
        END IF;
    END IF;
    FOR api_role IN SELECT rolname FROM pg_roles WHERE rolname IN ('anon', 'authenticated')
    LOOP
        IF has_table_privilege(api_role, t.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') THEN
            EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM %I', schema_name, history, api_role);
        END IF;
    END LOOP;
END $$;
