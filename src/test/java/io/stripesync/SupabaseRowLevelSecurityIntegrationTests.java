package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.ops.RowLevelSecurityCheck;
import io.stripesync.standin.StripeStandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * On a database prepared as Supabase prepares one (its API roles, their default privileges on everything created in
 * public), the service's tables end with row level security on, no policy and no privilege for the API roles, so
 * Supabase's REST API can neither read nor write them, while the service itself keeps working.
 */
@ExtendWith(OutputCaptureExtension.class)
class SupabaseRowLevelSecurityIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    /** What a new Supabase project has before anything of ours: roles are cluster-wide, so created once. */
    private static final String SUPABASE_ROLES = """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
                    CREATE ROLE anon NOLOGIN NOINHERIT;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
                    CREATE ROLE authenticated NOLOGIN NOINHERIT;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
                    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
                END IF;
            END $$;
            """;
    private static final String SUPABASE_GRANTS = """
            GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
            """;
    private static final List<String> API_ROLES = List.of("anon", "authenticated");

    @BeforeAll
    static void supabaseRoles() {
        new JdbcTemplate(new DriverManagerDataSource(TestDatabase.jdbcUrl())).execute(SUPABASE_ROLES);
    }

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @BeforeEach
    void emptyCatalogue() {
        STRIPE.reset();
    }

    @Test
    void everyTableHasRowLevelSecurityAndTheApiRolesCanNeitherReadNorWriteWhileTheServiceSyncs(
            CapturedOutput output) {
        List<String> ids = STRIPE.catalogue().addGenerated(30);
        JdbcTemplate db = ServiceOnDatabase.newDatabase(SUPABASE_GRANTS);

        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE)) {
            assertThat(ServiceOnDatabase.sync(service)).contains("\"success\":true").contains("\"synced\":30");

            assertRowLevelSecurityOnEveryTableOfTheService(db);
            assertApiRolesShutOut(db);
            assertThat(service.getBean(RowLevelSecurityCheck.class).problems()).isEmpty();

            // the service goes on: a change and a deletion in Stripe are found and recorded
            Map<String, Object> renamed = STRIPE.catalogue().all().stream()
                    .filter(p -> ids.get(3).equals(p.get("id"))).findFirst().orElseThrow();
            renamed.put("name", "Renamed in Stripe");
            renamed.put("updated", ((Number) renamed.get("updated")).longValue() + 60);
            STRIPE.catalogue().remove(ids.get(7));
            assertThat(ServiceOnDatabase.sync(service)).contains("\"success\":true").contains("\"changed\":1")
                    .contains("\"deleted\":1");
        }
        assertThat(db.queryForList("SELECT status FROM stripe_sync_runs ORDER BY id", String.class))
                .containsExactly("succeeded", "succeeded");
        assertThat(db.queryForObject("SELECT name FROM stripe_products_log WHERE stripe_product_id = ?",
                String.class, ids.get(3))).isEqualTo("Renamed in Stripe");
        assertThat(db.queryForObject("SELECT deleted_at IS NOT NULL FROM stripe_products_log "
                + "WHERE stripe_product_id = ?", Boolean.class, ids.get(7))).isTrue();
        assertThat(db.queryForList("SELECT field FROM stripe_product_changes ORDER BY id", String.class))
                .containsExactly("name", "deleted");
        // Supabase's server-side role bypasses row level security: a dashboard on the service key still reads
        assertThat(asRole(db, "service_role", "SELECT count(*) FROM stripe_products_log")).isEqualTo(30L);
        assertThat(output.getAll()).doesNotContain("Row level security is off").doesNotContain("grants privileges");
    }

    @Test
    void anExistingLogWithRowLevelSecurityOffAndGrantsToAnonIsAdoptedTheSameWay() {
        List<String> ids = STRIPE.catalogue().addGenerated(12);
        JdbcTemplate db = ServiceOnDatabase.newDatabase(SUPABASE_GRANTS + """
                CREATE TABLE public.stripe_products_log (id bigserial PRIMARY KEY, stripe_product_id text UNIQUE,
                                                         name text);
                GRANT ALL ON public.stripe_products_log TO anon, authenticated;
                GRANT ALL ON SEQUENCE public.stripe_products_log_id_seq TO anon, authenticated;
                """);
        db.update("INSERT INTO stripe_products_log (stripe_product_id, name) VALUES (?, 'From the app')", ids.get(0));
        assertThat(asRole(db, "anon", "SELECT count(*) FROM stripe_products_log")).as("before: open").isEqualTo(1L);

        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE)) {
            assertThat(ServiceOnDatabase.sync(service)).contains("\"success\":true").contains("\"synced\":11");
            assertThat(service.getBean(RowLevelSecurityCheck.class).problems()).isEmpty();
        }
        assertRowLevelSecurityOnEveryTableOfTheService(db);
        assertApiRolesShutOut(db);
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class)).isEqualTo(12);
    }

    @Test
    void theStartUpCheckNamesATableReadableThroughTheApiOrClosedToTheService(CapturedOutput output) {
        JdbcTemplate db = ServiceOnDatabase.newDatabase(SUPABASE_GRANTS);
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE)) {
            RowLevelSecurityCheck check = service.getBean(RowLevelSecurityCheck.class);
            assertThat(check.problems()).isEmpty();

            // docs/database.md's way to give a dashboard read access: a policy and a grant, not a warning
            db.execute("CREATE POLICY dashboard_reads ON stripe_products_log FOR SELECT TO authenticated USING (true)");
            db.execute("GRANT SELECT ON stripe_products_log TO authenticated");
            db.update("INSERT INTO stripe_products_log (stripe_product_id) VALUES ('prod_Dashboard')");
            assertThat(asRole(db, "authenticated", "SELECT count(*) FROM stripe_products_log")).isEqualTo(1L);
            assertThat(check.problems()).isEmpty();

            db.execute("ALTER TABLE stripe_sync_runs DISABLE ROW LEVEL SECURITY");
            db.execute("GRANT SELECT ON stripe_prices_log TO anon");
            assertThat(check.problems()).containsExactly(
                    "public.stripe_prices_log grants privileges to anon (Supabase's API roles) without a policy "
                            + "for them: run REVOKE ALL ON public.stripe_prices_log FROM anon",
                    "Row level security is off on public.stripe_sync_runs: on Supabase its rows are served by the "
                            + "REST API to anyone holding the project's anon key. Run ALTER TABLE "
                            + "public.stripe_sync_runs ENABLE ROW LEVEL SECURITY as its owner, postgres");
        }
        // and so does the next start-up, in its log
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, STRIPE)) {
            assertThat(output.getAll()).contains("WARN")
                    .contains("Row level security is off on public.stripe_sync_runs")
                    .contains("public.stripe_prices_log grants privileges to anon");
        }
    }

    @Test
    void aServiceRoleThatOwnsNoTableIsToldThatRowLevelSecurityShutsItOut(CapturedOutput output) {
        // migrations as postgres, the tables' owner; the service as a role granted everything but owning nothing
        new JdbcTemplate(new DriverManagerDataSource(TestDatabase.jdbcUrl())).execute("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sync_not_owner') THEN
                        CREATE ROLE sync_not_owner LOGIN;
                    END IF;
                END $$;
                """);
        JdbcTemplate db = ServiceOnDatabase.newDatabase("""
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO sync_not_owner;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO sync_not_owner;
                """);
        String direct = ((DriverManagerDataSource) db.getDataSource()).getUrl().replaceAll("\\?.*", "");

        // Quartz cannot take its lock row: the service does not start, and the log said why first
        assertThatThrownBy(() -> ServiceOnDatabase.start(db, STRIPE,
                "SYNC_MIGRATION_DATABASE_URL=" + direct + "?user=postgres", "spring.datasource.url=" + direct,
                "spring.datasource.username=sync_not_owner").close())
                .hasStackTraceContaining("violates row-level security policy");
        String warning = "Row level security is on for public.%s and the service's role sync_not_owner neither owns "
                + "it (postgres does) nor bypasses row level security, and the table has no policy: the service "
                + "reads nothing there and cannot write. Make sync_not_owner the owner, or run the service as postgres";
        assertThat(output.getAll()).contains(warning.formatted("stripe_products_log"))
                .contains(warning.formatted("qrtz_locks")).contains(warning.formatted("stripe_sync_schema_history"));
        assertThat(output.getAll().indexOf(warning.formatted("qrtz_locks")))
                .isLessThan(output.getAll().indexOf("violates row-level security policy"));
    }

    private static void assertRowLevelSecurityOnEveryTableOfTheService(JdbcTemplate db) {
        List<Map<String, Object>> tables = db.queryForList("""
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname""");
        assertThat(tables).extracting(t -> t.get("relname")).containsExactlyInAnyOrder(
                "stripe_products_log", "stripe_product_changes", "stripe_sync_runs", "stripe_sync_failures",
                "stripe_prices_log", "stripe_sync_cursors", "stripe_events_log", "stripe_sync_seen", "stripe_sync_schema_history",
                "qrtz_job_details", "qrtz_triggers",
                "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
                "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state",
                "qrtz_locks");
        assertThat(tables).allSatisfy(table -> assertThat(table).as("%s", table.get("relname"))
                .containsEntry("relrowsecurity", true).containsEntry("relforcerowsecurity", false)
                .containsEntry("policies", 0L));
    }

    /** anon and authenticated: no read, no write, on the log and on every other table of the service. */
    private static void assertApiRolesShutOut(JdbcTemplate db) {
        List<String> tables = db.queryForList("SELECT relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'", String.class);
        for (String role : API_ROLES) {
            for (String table : tables) {
                assertThatThrownBy(() -> asRole(db, role, "SELECT count(*) FROM " + table))
                        .as("%s reads %s", role, table).rootCause().hasMessageContaining("permission denied");
            }
            assertThatThrownBy(() -> asRole(db, role, "INSERT INTO stripe_products_log (stripe_product_id) "
                    + "VALUES ('prod_FromTheApi') RETURNING 1")).as("%s writes", role)
                    .rootCause().hasMessageContaining("permission denied");
            assertThatThrownBy(() -> asRole(db, role, "SELECT nextval('stripe_products_log_id_seq')"))
                    .as("%s uses the key's sequence", role).rootCause().hasMessageContaining("permission denied");
        }
        // Privileges granted back (Supabase's dashboard grants them on a click): row level security still keeps
        // the API roles out, reading nothing and writing nothing
        db.execute("GRANT SELECT, INSERT ON stripe_products_log TO anon");
        db.execute("GRANT USAGE ON SEQUENCE stripe_products_log_id_seq TO anon");
        try {
            assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log", Long.class)).isPositive();
            assertThat(asRole(db, "anon", "SELECT count(*) FROM stripe_products_log")).isEqualTo(0L);
            assertThatThrownBy(() -> asRole(db, "anon", "INSERT INTO stripe_products_log (stripe_product_id) "
                    + "VALUES ('prod_FromTheApi') RETURNING 1"))
                    .rootCause().hasMessageContaining("row-level security policy");
        } finally {
            db.execute("REVOKE ALL ON stripe_products_log FROM anon");
            db.execute("REVOKE ALL ON SEQUENCE stripe_products_log_id_seq FROM anon");
        }
    }

    /** Runs one statement as {@code role}, as Supabase's API does, and answers its single value. */
    private static Object asRole(JdbcTemplate db, String role, String sql) {
        return db.execute((ConnectionCallback<Object>) connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SET ROLE " + role);
                try (var result = statement.executeQuery(sql)) {
                    result.next();
                    return result.getObject(1);
                } finally {
                    statement.execute("RESET ROLE");
                }
            }
        });
    }
}
