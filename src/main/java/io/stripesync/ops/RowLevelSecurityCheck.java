package io.stripesync.ops;

import io.stripesync.config.Secrets;
import io.stripesync.database.SyncSchema;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At start-up, after the migrations and before the routes start: warns, naming the table, when one of the service's tables in its schema is
 * open to Supabase's API (row level security off, or a privilege granted to anon or authenticated without a policy
 * for them, which is how Supabase's default privileges leave a new table), or when
 * row level security keeps the service itself out of it (its role neither owns the table nor bypasses RLS, and so
 * reads nothing and writes nothing there unless a policy lets it). V8__row_level_security.sql sets all of this
 * right where it may; this says where it could not, or where someone changed it since.
 */
@Component
public class RowLevelSecurityCheck implements SmartInitializingSingleton {

    /** The service's tables (the migrations', the Quartz tables, Flyway's history): a new table goes here too. */
    public static final List<String> TABLES = List.of("stripe_products_log", "stripe_product_changes", "stripe_sync_runs",
            "stripe_sync_failures", "stripe_prices_log", "stripe_sync_cursors", "stripe_events_log", "stripe_sync_seen",
            "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers",
            "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers", "qrtz_calendars",
            "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");

    private static final String TABLES_AND_ACCESS = """
            SELECT c.relname AS table_name, c.relrowsecurity AS rls, pg_get_userbyid(c.relowner) AS owner,
                   current_user AS service_role,
                   row_security_active(c.oid) AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
                       AS service_shut_out,
                   -- granted without a policy for them: a grant that goes with a policy is a team's choice
                   array_to_string(array(SELECT r.rolname FROM pg_roles r
                                          WHERE r.rolname IN ('anon', 'authenticated')
                                            AND has_table_privilege(r.oid, c.oid,
                                                'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                                            AND NOT (c.relrowsecurity AND EXISTS (
                                                SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                                   AND (r.oid = ANY (p.polroles) OR 0::oid = ANY (p.polroles))))
                                          ORDER BY r.rolname), ', ') AS api_roles
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ANY (?) AND c.relkind IN ('r', 'p')
             ORDER BY c.relname""";

    private static final Logger log = LoggerFactory.getLogger(RowLevelSecurityCheck.class);

    private final JdbcTemplate jdbc;
    private final String schema;
    private final String historyTable;
    private final Secrets secrets;

    public RowLevelSecurityCheck(JdbcTemplate jdbc, SyncSchema schema,
                                 FlywayProperties flyway, Secrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.schema = schema.name();
        this.historyTable = flyway.getTable();
    }

    /** After the migrations (its JdbcTemplate waits for them), before Camel starts: a shut-out role fails there. */
    @Override
    public void afterSingletonsInstantiated() {
        try {
            problems().forEach(log::warn);
        } catch (DataAccessException e) {
            log.warn("Could not check row level security on the service's tables: {}",
                    secrets.scrub(e.getMostSpecificCause().getMessage()));
        }
    }

    /** One line per problem found, each naming its table; empty when every table is as V8 leaves it. */
    public List<String> problems() {
        List<String> tables = new ArrayList<>(TABLES);
        tables.add(historyTable);
        List<String> problems = new ArrayList<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(TABLES_AND_ACCESS);
            statement.setString(1, schema);
            statement.setArray(2, connection.createArrayOf("text", tables.toArray()));
            return statement;
        }, row -> {
            String table = schema + "." + row.getString("table_name");
            if (!row.getBoolean("rls")) {
                problems.add("Row level security is off on " + table + ": on Supabase its rows are served by the "
                        + "REST API to anyone holding the project's anon key. Run ALTER TABLE " + table
                        + " ENABLE ROW LEVEL SECURITY as its owner, " + row.getString("owner"));
            }
            String apiRoles = row.getString("api_roles");
            if (!apiRoles.isEmpty()) {
                problems.add(table + " grants privileges to " + apiRoles + " (Supabase's API roles) without a "
                        + "policy for them: run REVOKE ALL ON " + table + " FROM " + apiRoles);
            }
            if (row.getBoolean("service_shut_out")) {
                problems.add("Row level security is on for " + table + " and the service's role "
                        + row.getString("service_role") + " neither owns it (" + row.getString("owner")
                        + " does) nor bypasses row level security, and the table has no policy: the service reads "
                        + "nothing there and cannot write. Make " + row.getString("service_role") + " the owner, "
                        + "or run the service as " + row.getString("owner"));
            }
        });
        return problems;
    }
}
