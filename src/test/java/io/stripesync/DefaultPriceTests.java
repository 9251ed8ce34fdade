package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each product's default price comes inline with the product list and is logged right, whatever its shape. */
class DefaultPriceTests extends SyncTestSupport {

    private static final long CREATED = 1_700_000_000L;

    @Test
    void defaultPricesComeInlineWithTheProductListAndAreLoggedInTheirCurrencysUnits() throws Exception {
        withDefaultPrice("prod_Usd", price("price_Usd", "prod_Usd", "usd", 2000L));
        Map<String, Object> eur = price("price_Eur", "prod_Eur", "eur", 1999L);
        eur.put("type", "one_time");
        eur.put("recurring", null);
        withDefaultPrice("prod_Eur", eur);
        withDefaultPrice("prod_Jpy", price("price_Jpy", "prod_Jpy", "jpy", 500L));
        withDefaultPrice("prod_Kwd", price("price_Kwd", "prod_Kwd", "kwd", 1500L));
        Map<String, Object> tiered = price("price_Tiered", "prod_Tiered", "usd", null);
        tiered.put("billing_scheme", "tiered");
        tiered.put("tiers_mode", "graduated");
        withDefaultPrice("prod_Tiered", tiered);
        Map<String, Object> decimal = price("price_Decimal", "prod_Decimal", "usd", null);
        decimal.put("unit_amount_decimal", "1250.5");
        withDefaultPrice("prod_Decimal", decimal);
        Map<String, Object> custom = price("price_Custom", "prod_Custom", "usd", null);
        custom.put("type", "one_time");
        custom.put("recurring", null);
        custom.put("custom_unit_amount", Map.of("minimum", 500, "maximum", 100000, "preset", 2500));
        withDefaultPrice("prod_Custom", custom);
        STRIPE.catalogue().add(StripeCatalogue.product("prod_NoPrice", "Without a default price", CREATED));

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("synced").asInt()).isEqualTo(8);
        // zero extra requests: one page, the prices inline
        assertThat(STRIPE.productListRequests()).singleElement().satisfies(request ->
                assertThat(request.queryParameter("expand[]").values()).containsExactly("data.default_price"));
        assertThat(STRIPE.priceListRequests()).isEmpty();

        assertThat(row("prod_Usd")).containsEntry("default_price_id", "price_Usd").containsEntry("currency", "usd")
                .containsEntry("unit_amount", 2000L).containsEntry("amount", new BigDecimal("20.00"))
                .containsEntry("price_usd", new BigDecimal("20.00")).containsEntry("price_type", "recurring")
                .containsEntry("recurring_interval", "month");
        assertThat(row("prod_Eur")).containsEntry("currency", "eur").containsEntry("unit_amount", 1999L)
                .containsEntry("amount", new BigDecimal("19.99")).containsEntry("price_usd", null)
                .containsEntry("price_type", "one_time").containsEntry("recurring_interval", null);
        // zero-decimal: 500 yen is 500, not 5.00
        assertThat(row("prod_Jpy")).containsEntry("unit_amount", 500L).containsEntry("amount", new BigDecimal("500"))
                .containsEntry("price_usd", null);
        // three-decimal: 1500 fils is 1.500 dinar
        assertThat(row("prod_Kwd")).containsEntry("amount", new BigDecimal("1.500"));
        // no single unit amount: the fields that exist, and no amount rather than a wrong one
        for (String id : new String[] {"prod_Tiered", "prod_Decimal", "prod_Custom"}) {
            assertThat(row(id)).as(id).containsEntry("default_price_id", id.replace("prod_", "price_"))
                    .containsEntry("currency", "usd").containsEntry("unit_amount", null)
                    .containsEntry("amount", null).containsEntry("price_usd", null);
        }
        assertThat(row("prod_NoPrice")).containsEntry("default_price_id", null).containsEntry("currency", null)
                .containsEntry("unit_amount", null).containsEntry("price_type", null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes", Integer.class)).isZero();
    }

    private void withDefaultPrice(String productId, Map<String, Object> price) {
        STRIPE.catalogue().addPrice(price);
        Map<String, Object> product = StripeCatalogue.product(productId, "Priced " + productId, CREATED);
        product.put("default_price", price.get("id"));
        STRIPE.catalogue().add(product);
    }

    private static Map<String, Object> price(String id, String productId, String currency, Long unitAmount) {
        return StripeCatalogue.price(id, productId, currency, unitAmount, CREATED);
    }

    private Map<String, Object> row(String productId) {
        return jdbc.queryForMap("SELECT default_price_id, currency, unit_amount, amount, price_usd, price_type, "
                + "recurring_interval FROM stripe_products_log WHERE stripe_product_id = ?", productId);
    }
}
