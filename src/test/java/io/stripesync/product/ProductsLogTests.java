package io.stripesync.product;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.TestJson;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The idempotent repository's contract, as the route's idempotent consumer uses it: per product, answered from what
 * the log held of the page (its {@link PageLog}). Reading the log itself (readPage, one statement per page) is what
 * the service tests exercise on the real database; nothing here runs a statement.
 */
class ProductsLogTests {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final long UPDATED = 1_721_839_011L;

    private final ProductsLog log = new ProductsLog(new JdbcTemplate(),
            new io.stripesync.database.SyncSchema(io.stripesync.config.TestSettings.sync(java.util.Map.of())), JSON,
            io.stripesync.config.TestSettings.sync(java.util.Map.of("sync.prices.enabled", "true")));

    @Test
    void addRegistersANewProductForThePagesStatement() {
        PageLog page = new PageLog(Map.of());
        Exchange exchange = exchange(page, product("prod_New", UPDATED));

        assertThat(log.contains(exchange, "prod_New")).isFalse();
        assertThat(log.add(exchange, "prod_New")).isTrue();

        // only the fields the page's statement reads
        assertThat(page.getToWrite()).singleElement().satisfies(fields -> assertThat(fields.keySet())
                .containsExactly("id", "name", "description", "active", "livemode", "metadata", "created", "updated",
                        "default_price"));
        assertThat(page.getToWrite().get(0)).containsEntry("id", "prod_New").containsEntry("name", "T-shirt");
    }

    @Test
    void addRegistersAProductChangedInStripeSinceTheLogSawIt() {
        PageLog page = new PageLog(Map.of("prod_Changed", new PageLog.Logged(UPDATED - 60, true, false)));
        Exchange exchange = exchange(page, product("prod_Changed", UPDATED));

        assertThat(log.add(exchange, "prod_Changed")).isTrue();
        assertThat(page.getToWrite()).extracting(fields -> fields.get("id")).containsExactly("prod_Changed");
    }

    @Test
    void addAnswersFalseForAProductTheLogHoldsAsStripeHasIt() {
        PageLog page = new PageLog(Map.of("prod_Same", new PageLog.Logged(UPDATED, true, false)));
        Exchange exchange = exchange(page, product("prod_Same", UPDATED));

        assertThat(log.contains(exchange, "prod_Same")).isTrue();
        assertThat(log.add(exchange, "prod_Same")).isFalse();
        assertThat(page.getToWrite()).isEmpty();
    }

    @Test
    void aLoggedProductIsComparedAgainWhenItCanHaveChanged() {
        // never compared (logged by the application), marked deleted, or without the price columns price sync fills
        for (PageLog.Logged logged : new PageLog.Logged[] {new PageLog.Logged(null, true, false),
                new PageLog.Logged(UPDATED, true, true), new PageLog.Logged(UPDATED, false, false)}) {
            PageLog page = new PageLog(Map.of("prod_Old", logged));
            Exchange exchange = exchange(page, product("prod_Old", UPDATED));

            assertThat(log.add(exchange, "prod_Old")).as(logged.toString()).isTrue();
            assertThat(page.getToWrite()).hasSize(1);
        }
        // a product whose 'updated' is missing cannot be compared by it
        Map<String, Object> noUpdated = product("prod_Old", UPDATED);
        noUpdated.remove("updated");
        PageLog page = new PageLog(Map.of("prod_Old", new PageLog.Logged(UPDATED, true, false)));
        assertThat(log.add(exchange(page, noUpdated), "prod_Old")).isTrue();
    }

    @Test
    void withPriceSyncOffMissingPriceColumnsAreNoChange() {
        ProductsLog withoutPrices = new ProductsLog(new JdbcTemplate(),
            new io.stripesync.database.SyncSchema(io.stripesync.config.TestSettings.sync(java.util.Map.of())), JSON,
                io.stripesync.config.TestSettings.sync(java.util.Map.of("sync.prices.enabled", "false")));
        PageLog page = new PageLog(Map.of("prod_Same", new PageLog.Logged(UPDATED, false, false)));

        assertThat(withoutPrices.add(exchange(page, product("prod_Same", UPDATED)), "prod_Same")).isFalse();
    }

    @Test
    void removeTakesAProductOutOfThePagesStatement() {
        PageLog page = new PageLog(Map.of());
        Exchange exchange = exchange(page, product("prod_Failed", UPDATED));
        log.add(exchange, "prod_Failed");
        log.add(exchange(page, product("prod_Kept", UPDATED)), "prod_Kept");

        assertThat(log.remove(exchange, "prod_Failed")).isTrue();

        assertThat(page.getToWrite()).extracting(fields -> fields.get("id")).containsExactly("prod_Kept");
        assertThat(log.remove(exchange, "prod_Failed")).as("already out").isFalse();
        assertThat(log.confirm(exchange, "prod_Kept")).isTrue();
    }

    @Test
    void theVariantsWithoutAnExchangeThrow() {
        assertThatThrownBy(() -> log.add("prod_A")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("per page");
        assertThatThrownBy(() -> log.contains("prod_A")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> log.remove("prod_A")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> log.confirm("prod_A")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(log::clear).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("never cleared");
    }

    @Test
    void aProductSetAsideIsKeptWithItsReasonAndRawJson() {
        PageLog page = new PageLog(Map.of());
        Map<String, Object> product = product("prod_Nul\u0000", UPDATED);
        product.put("metadata", "project=omnia");
        Exchange exchange = exchange(page, product);
        exchange.setProperty("stripeProductProblem", "'metadata' is not an object");

        log.setAside(exchange);
        log.filteredOut(exchange(page, product("prod_Other", UPDATED)));

        assertThat(page.setAside()).singleElement().satisfies(aside -> {
            assertThat(aside[0]).isEqualTo("prod_Nul\\u0000");
            assertThat(aside[1]).isEqualTo("'metadata' is not an object");
            assertThat((String) aside[2]).contains("\"metadata\":\"project=omnia\"");
        });
        assertThat(page.filtered()).isEqualTo(1);
        assertThat(page.getToWrite()).isEmpty();
    }

    private static Map<String, Object> product(String id, long updated) {
        Map<String, Object> product = TestJson.fixture("/stripe/product.json");
        product.put("id", id);
        product.put("updated", updated);
        return product;
    }

    private static Exchange exchange(PageLog page, Map<String, Object> product) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(ProductsLog.PAGE_LOG, page);
        exchange.getMessage().setBody(product);
        return exchange;
    }
}
