package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.standin.StripeStandIn;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Most users already have a stripe_products_log written by their application. Each test prepares such a database
 * (a fresh one on the test server), starts the whole service on it, and checks what the migrations did to it.
 */
class ExistingDatabaseIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void adoptsATableWithAUuidKeyExtraColumnsAndItsOwnRows() {
        List<String> ids = STRIPE.catalogue().addGenerated(120);
        JdbcTemplate db = newDatabase("""
                CREATE TABLE stripe_products_log (
                    id uuid PRIMARY KEY,
                    stripe_product_id text UNIQUE,
                    name text,
                    created_at timestamptz,
                    team text NOT NULL DEFAULT 'core',
                    notes text);
                """);
        db.update("INSERT INTO stripe_products_log (id, stripe_product_id, name, notes) VALUES "
                + "('6f1c9a52-3f51-4a0b-9a4e-0d6a4c1e7b11', ?, 'From the app', 'keep me')", ids.get(5));

        try (ConfigurableApplicationContext service = startService(db, "public")) {
            String answer = sync(service);

            // the app's row is not inserted again; its name differs from Stripe's, which is a change
            assertThat(answer).contains("\"success\":true").contains("\"synced\":119").contains("\"changed\":1")
                    .contains("\"skipped\":0");
        }
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class)).isEqualTo(120);
        assertThat(db.queryForMap("SELECT id::text AS id, name, notes, team, source FROM stripe_products_log "
                + "WHERE stripe_product_id = ?", ids.get(5)))
                .containsEntry("id", "6f1c9a52-3f51-4a0b-9a4e-0d6a4c1e7b11").containsEntry("name", "Generated product 6")
                .containsEntry("notes", "keep me").containsEntry("team", "core").containsEntry("source", null);
        assertThat(db.queryForList("SELECT field || ': ' || old_value || ' -> ' || new_value FROM stripe_product_changes",
                String.class)).containsExactly("name: \"From the app\" -> \"Generated product 6\"");
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log WHERE id IS NOT NULL AND "
                + "metadata IS NOT NULL AND source = 'backfill'", Integer.class)).isEqualTo(119);
        // the table's own unique constraint is reused, not doubled
        assertThat(db.queryForObject("SELECT count(*) FROM pg_indexes WHERE tablename = 'stripe_products_log' "
                + "AND indexdef LIKE '%UNIQUE%(stripe_product_id)%'", Integer.class)).isEqualTo(1);
    }

    @Test
    void adoptsATableWithABigintKeyTheAppFilledAndMissingColumns() {
        List<String> ids = STRIPE.catalogue().addGenerated(10);
        JdbcTemplate db = newDatabase("CREATE TABLE stripe_products_log (id bigint PRIMARY KEY, stripe_product_id text);");
        db.update("INSERT INTO stripe_products_log VALUES (41, ?)", ids.get(0));

        try (ConfigurableApplicationContext service = startService(db, "public")) {
            assertThat(sync(service)).contains("\"synced\":9");
        }
        assertThat(db.queryForList("SELECT id FROM stripe_products_log ORDER BY id", Long.class))
                .hasSize(10).startsWith(41L).allMatch(id -> id >= 41);
        // the app's row lacked every column but the key: filled in from Stripe, without a change row
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log WHERE name IS NOT NULL",
                Integer.class)).isEqualTo(10);
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_product_changes", Integer.class)).isZero();
    }

    @Test
    void duplicatesStopTheServiceNamingThemAndChangeNothing() {
        JdbcTemplate db = newDatabase("CREATE TABLE stripe_products_log (id serial PRIMARY KEY, stripe_product_id text, name text);");
        db.update("INSERT INTO stripe_products_log (stripe_product_id, name) VALUES "
                + "('prod_Twice', 'a'), ('prod_Twice', 'b'), ('prod_Once', 'c')");

        assertThatThrownBy(() -> startService(db, "public").close())
                .hasStackTraceContaining("duplicate stripe_product_id values")
                .hasStackTraceContaining("prod_Twice (2 rows)")
                .hasStackTraceContaining("SELECT * FROM stripe_products_log WHERE stripe_product_id IN");

        assertThat(db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class)).isEqualTo(3);
        assertThat(db.queryForList("SELECT column_name FROM information_schema.columns "
                + "WHERE table_name = 'stripe_products_log'", String.class))
                .containsExactlyInAnyOrder("id", "stripe_product_id", "name");
    }

    @Test
    void worksInANonDefaultSchema() {
        STRIPE.catalogue().addGenerated(30);
        JdbcTemplate db = newDatabase("CREATE TABLE public.stripe_products_log (other text);");

        try (ConfigurableApplicationContext service = startService(db, "audit")) {
            assertThat(sync(service)).contains("\"synced\":30");
        }
        assertThat(db.queryForObject("SELECT count(*) FROM audit.stripe_products_log", Integer.class)).isEqualTo(30);
        assertThat(db.queryForObject("SELECT count(*) FROM audit.stripe_sync_runs", Integer.class)).isEqualTo(1);
        // the other schema's table of the same name is untouched
        assertThat(db.queryForList("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'stripe_products_log'", String.class))
                .containsExactly("other");
    }

    @BeforeEach
    void emptyCatalogue() {
        STRIPE.reset();
    }

    private static JdbcTemplate newDatabase(String ddl) {
        return ServiceOnDatabase.newDatabase(ddl);
    }

    private static ConfigurableApplicationContext startService(JdbcTemplate db, String schema) {
        return ServiceOnDatabase.start(db, STRIPE, "SYNC_DB_SCHEMA=" + schema);
    }

    private static String sync(ConfigurableApplicationContext service) {
        return ServiceOnDatabase.sync(service);
    }
}
