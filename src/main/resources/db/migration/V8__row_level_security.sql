-- Row level security on every table of the service, with no policy at all. On Supabase, every table in an exposed
-- schema is served by its REST API to any holder of the public anon key (roles anon and authenticated), and
-- Supabase's default privileges grant those roles everything on new tables in public. With RLS on and no policy, the
-- API reads nothing from our tables and writes nothing into them.
--
-- Not FORCE: the tables' owner bypasses RLS unless it is forced, and the owner is the role the service migrates
-- with, normally the one it runs with too (on Supabase: postgres, direct and through the pooler alike). So the
-- service's own statements are unaffected. A service role that neither owns a table nor has BYPASSRLS (nor is a
-- superuser) would see none of its rows and could write none: ops/RowLevelSecurityCheck warns about it at start-up.
-- service_role (Supabase's server-side key) has BYPASSRLS and keeps its access.
--
-- Safe on an existing database: enabling RLS twice changes nothing, and a table this role may not alter (owned by
-- another role the migration's role is not a member of) is left as it is, with a warning naming it.
-- Flyway's own history table is not altered here: Flyway reads it under its lock while this runs, so ALTER TABLE
-- would wait for ever. afterMigrate__history_row_level_security.sql does it once the migrations are done.
DO $$
DECLARE
    schema_name text := '${flyway:defaultSchema}';
    ours        text[] := ARRAY[
        'stripe_products_log', 'stripe_product_changes', 'stripe_sync_runs', 'stripe_sync_failures',
        'stripe_prices_log',
        'qrtz_job_details', 'qrtz_triggers', 'qrtz_simple_triggers', 'qrtz_cron_triggers', 'qrtz_simprop_triggers',
        'qrtz_blob_triggers', 'qrtz_calendars', 'qrtz_paused_trigger_grps', 'qrtz_fired_triggers',
        'qrtz_scheduler_state', 'qrtz_locks'];
    api_role    text;
    t           record;
    s           record;
BEGIN
    FOR t IN SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, c.relowner
               FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = schema_name AND c.relname = ANY (ours) AND c.relkind IN ('r', 'p')
              ORDER BY c.relname
    LOOP
        -- the owner, a member of the owning role, or a superuser may alter the table
        IF pg_has_role(current_user, t.relowner, 'USAGE') THEN
            EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', schema_name, t.relname);
        ELSE
            RAISE WARNING 'row level security left off on %.%: it is owned by %, and % may not alter it',
                schema_name, t.relname, t.owner, current_user;
        END IF;
    END LOOP;

    -- Supabase's API roles: no privilege on our tables, nor on the sequences behind their keys
    FOR api_role IN SELECT rolname FROM pg_roles WHERE rolname IN ('anon', 'authenticated') ORDER BY rolname
    LOOP
        FOR t IN SELECT c.relname
                   FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = schema_name AND c.relname = ANY (ours) AND c.relkind IN ('r', 'p')
        LOOP
            EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM %I', schema_name, t.relname, api_role);
        END LOOP;
        FOR s IN SELECT DISTINCT seq.relname
                   FROM pg_class seq
                   JOIN pg_namespace n ON n.oid = seq.relnamespace
                   LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = seq.oid
                                        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                   LEFT JOIN pg_class tab ON tab.oid = d.refobjid
                  WHERE n.nspname = schema_name AND seq.relkind = 'S'
                    AND (tab.relname = ANY (ours) OR seq.relname = 'stripe_products_log_key_seq')
        LOOP
            EXECUTE format('REVOKE ALL ON SEQUENCE %I.%I FROM %I', schema_name, s.relname, api_role);
        END LOOP;
    END LOOP;
END $$;
