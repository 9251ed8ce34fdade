package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Settings that change what a run asks of Stripe and what it logs: each test starts a service with its settings on
 * the test database (emptied before each test) and checks the rows and the requests the Stripe stand-in received.
 * Runs with the default settings go through the shared context.
 */
class FilterAndSettingsIntegrationTests extends SyncTestSupport {

    private static final long BASE = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

    @Test
    void excludingArchivedProductsIsAskedOfStripeAndCostsFewerRequests() throws Exception {
        // 300 products, 200 of them archived
        for (int i = 0; i < 300; i++) {
            Map<String, Object> product = StripeCatalogue.product(String.format("prod_A%03d", i), "Product " + i,
                    BASE + i);
            product.put("active", i % 3 == 0);
            STRIPE.catalogue().add(product);
        }

        JsonNode everything = syncWithDefaultSettings();
        assertThat(everything.get("synced").asInt()).isEqualTo(300);
        assertThat(STRIPE.productListRequests()).hasSize(3)
                .allSatisfy(request -> assertThat(request.queryParameter("active").isPresent()).isFalse());

        STRIPE.wireMock().resetRequests();
        emptyTheLog();
        JsonNode activeOnly = sync("SYNC_FILTER_INCLUDE_ARCHIVED=false");

        assertThat(activeOnly.get("synced").asInt()).isEqualTo(100);
        assertThat(activeOnly.get("filtered").asInt()).as("left out by Stripe, never scanned").isZero();
        assertThat(STRIPE.productListRequests()).hasSize(1)
                .allSatisfy(request -> assertThat(request.queryParameter("active").firstValue()).isEqualTo("true"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log WHERE active", Integer.class))
                .isEqualTo(100);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class)).isEqualTo(100);
    }

    @Test
    void createdWindowIsAskedOfStripeAndCostsFewerRequests() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(250);
        List<Map<String, Object>> products = STRIPE.catalogue().all();
        long first = products.stream().mapToLong(p -> ((Number) p.get("created")).longValue()).min().orElseThrow();
        long from = first + 50;
        long before = first + 150;

        JsonNode answer = sync("SYNC_FILTER_CREATED_AFTER=" + Instant.ofEpochSecond(from),
                "SYNC_FILTER_CREATED_BEFORE=" + before);

        assertThat(answer.get("synced").asInt()).isEqualTo(100);
        assertThat(STRIPE.productListRequests()).as("one page instead of three").hasSize(1)
                .allSatisfy(request -> {
                    assertThat(request.queryParameter("created[gte]").firstValue()).isEqualTo(String.valueOf(from));
                    assertThat(request.queryParameter("created[lt]").firstValue()).isEqualTo(String.valueOf(before));
                });
        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class))
                .containsExactlyInAnyOrderElementsOf(ids.subList(50, 150));
    }

    @Test
    void metadataPairsAndExcludedIdsLeaveProductsOutCountedAsFiltered() throws Exception {
        List<String> projects = List.of("omnia", "atlas", "helios");
        for (int i = 0; i < 30; i++) {
            Map<String, Object> product = StripeCatalogue.product(String.format("prod_M%02d", i), "Product " + i,
                    BASE + i);
            product.put("metadata", Map.of("project", projects.get(i % 3), "tier", i % 2 == 0 ? "gold" : "silver"));
            STRIPE.catalogue().add(product);
        }

        JsonNode answer = sync("SYNC_FILTER_METADATA=project=omnia, project=atlas, tier=gold",
                "SYNC_FILTER_EXCLUDE_IDS=prod_M00,prod_M99");

        // omnia or atlas (i % 3 != 2) and gold (i even), but not prod_M00: i in 4, 6, 10, 12, 16, 18, 22, 24, 28
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 30; i++) {
            if (i % 3 != 2 && i % 2 == 0) {
                expected.add(String.format("prod_M%02d", i));
            }
        }
        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(answer.get("synced").asInt()).isEqualTo(expected.size());
        assertThat(answer.get("filtered").asInt()).isEqualTo(30 - expected.size());
        assertThat(answer.get("skipped").asInt()).isZero();
        assertThat(jdbc.queryForMap("SELECT filtered, skipped FROM stripe_sync_runs"))
                .containsEntry("filtered", 30 - expected.size()).containsEntry("skipped", 0);
        // not something Stripe can filter: the walk is the same
        assertThat(STRIPE.productListRequests()).hasSize(1).allSatisfy(request -> assertThat(
                request.getUrl()).doesNotContain("metadata").doesNotContain("prod_M00"));
    }

    @Test
    void yamlRuleInTheRoutesFolderDecidesWhatIsLogged() throws Exception {
        List<String> projects = List.of("omnia", "atlas", "helios", "zeus");
        for (int i = 0; i < 40; i++) {
            Map<String, Object> product = StripeCatalogue.product(String.format("prod_R%02d", i), "Product " + i,
                    BASE + i);
            product.put("metadata", Map.of("project", projects.get(i % 4)));
            STRIPE.catalogue().add(product);
        }
        Map<String, Object> noMetadata = StripeCatalogue.product("prod_RNone", "No project", BASE + 100);
        STRIPE.catalogue().add(noMetadata);
        // a team's copy of routes/ with the README's example rule: no build, only a YAML edit
        Path routes = Files.createTempDirectory("routes");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path rule = routes.resolve("product-rules.camel.yaml");
        String original = Files.readString(rule);
        assertThat(original).contains("simple: \"true\"");
        Files.writeString(rule, original.replace("simple: \"true\"",
                "simple: \"${body[metadata][project]} in 'omnia,atlas'\""));

        JsonNode answer = sync("SYNC_ROUTES_DIR=" + routes.toAbsolutePath());

        assertThat(answer.get("synced").asInt()).isEqualTo(20);
        assertThat(answer.get("filtered").asInt()).isEqualTo(21);
        assertThat(jdbc.queryForList("SELECT DISTINCT project FROM stripe_products_log", String.class))
                .containsExactlyInAnyOrder("omnia", "atlas");
    }

    @Test
    void projectComesFromTheConfiguredKeyWithDefaultAndRenames() throws Exception {
        Map<String, Object> legacy = StripeCatalogue.product("prod_P1", "Legacy", BASE);
        legacy.put("metadata", Map.of("team", "omnia-legacy", "project", "ignored"));
        Map<String, Object> atlas = StripeCatalogue.product("prod_P2", "Atlas", BASE + 1);
        atlas.put("metadata", Map.of("team", "atlas"));
        Map<String, Object> none = StripeCatalogue.product("prod_P3", "No team", BASE + 2);
        Stream.of(legacy, atlas, none).forEach(STRIPE.catalogue()::add);

        sync("SYNC_PROJECT_METADATA_KEY=team", "SYNC_DEFAULT_PROJECT=core", "sync.project.renames.omnia-legacy=omnia");

        assertThat(jdbc.queryForMap("SELECT project FROM stripe_products_log WHERE stripe_product_id = 'prod_P1'"))
                .containsEntry("project", "omnia");
        assertThat(jdbc.queryForMap("SELECT project FROM stripe_products_log WHERE stripe_product_id = 'prod_P2'"))
                .containsEntry("project", "atlas");
        assertThat(jdbc.queryForMap("SELECT project FROM stripe_products_log WHERE stripe_product_id = 'prod_P3'"))
                .containsEntry("project", "core");
    }

    @Test
    void priceSyncOffNeitherExpandsNorWritesPriceColumns() throws Exception {
        STRIPE.catalogue().addGenerated(150);

        JsonNode answer = sync("SYNC_PRICES_ENABLED=false");

        assertThat(answer.get("synced").asInt()).isEqualTo(150);
        assertThat(STRIPE.productListRequests()).hasSize(2)
                .allSatisfy(request -> assertThat(request.queryParameter("expand[]").isPresent()).isFalse());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log WHERE default_price_id IS NULL "
                + "AND unit_amount IS NULL AND price_synced_at IS NULL", Integer.class)).isEqualTo(150);
    }

    @Test
    void allPricesWalkLogsEveryPriceOfLoggedProductsAtOneRequestPerHundred() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(230);
        // a second price for 40 products: 270 prices in all
        for (int i = 0; i < 40; i++) {
            STRIPE.catalogue().addPrice(StripeCatalogue.price("price_Yearly" + i, ids.get(i), "eur", 9900L,
                    BASE + 10_000 + i));
        }

        JsonNode answer = sync("SYNC_PRICES_ALL=true", "SYNC_FILTER_EXCLUDE_IDS=" + ids.get(0));

        assertThat(STRIPE.productListRequests()).hasSize(3);
        assertThat(STRIPE.priceListRequests()).hasSize(3).allSatisfy(request ->
                assertThat(request.queryParameter("limit").firstValue()).isEqualTo("100"));
        // the excluded product's two prices are left out with it
        assertThat(answer.get("prices").asInt()).isEqualTo(268);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_prices_log", Integer.class)).isEqualTo(268);
        assertThat(jdbc.queryForMap("SELECT stripe_product_id, currency, unit_amount, amount, price_type, "
                + "recurring_interval FROM stripe_prices_log WHERE stripe_price_id = 'price_Yearly5'"))
                .containsEntry("stripe_product_id", ids.get(5)).containsEntry("currency", "eur")
                .containsEntry("unit_amount", 9900L).containsEntry("amount", new java.math.BigDecimal("99.00"))
                .containsEntry("price_type", "recurring").containsEntry("recurring_interval", "month");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_prices_log WHERE stripe_product_id = ?",
                Integer.class, ids.get(0))).isZero();
    }

    @Test
    void walkNarrowedAtStripeNeverMarksDeletions() throws Exception {
        STRIPE.catalogue().addGenerated(10);
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, name, active, livemode, source) "
                + "VALUES ('prod_Gone', 'Deleted in Stripe', true, false, 'app')");

        JsonNode narrowed = sync("SYNC_FILTER_CREATED_AFTER=2000-01-01");
        assertThat(narrowed.get("deleted").asInt()).isZero();
        assertThat(jdbc.queryForMap("SELECT deleted_at FROM stripe_products_log WHERE stripe_product_id = 'prod_Gone'"))
                .containsEntry("deleted_at", null);

        JsonNode whole = syncWithDefaultSettings();
        assertThat(whole.get("deleted").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT deleted_at FROM stripe_products_log WHERE stripe_product_id = "
                + "'prod_Gone'", Object.class)).isNotNull();
    }

    @Test
    void liveModeRowsAreNeverMarkedDeletedByATestModeWalk() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, livemode, source) VALUES "
                + "('prod_LiveOnly', true, 'app'), ('prod_TestGone', false, 'app')");

        assertThat(syncWithDefaultSettings().get("deleted").asInt()).isEqualTo(1);

        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log WHERE deleted_at IS NOT NULL",
                String.class)).containsExactly("prod_TestGone");
    }

    /** One run by a service started with {@code settings} (as environment variables), stopped after it. */
    private static JsonNode sync(String... settings) throws Exception {
        try (ConfigurableApplicationContext service = ServiceOnDatabase.startOnTestDatabase(STRIPE, settings)) {
            return succeeded(ServiceOnDatabase.sync(service));
        }
    }

    /** One run by the shared context, whose settings are the defaults as far as these tests go. */
    private JsonNode syncWithDefaultSettings() throws Exception {
        return succeeded(triggerSync().body());
    }

    private static JsonNode succeeded(String body) throws Exception {
        JsonNode answer = JSON.readTree(body);
        assertThat(answer.get("success").asBoolean()).as(answer.toString()).isTrue();
        return answer;
    }

}
