package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftReportTests extends SyncTestSupport {

    private static final long CREATED = 1_700_000_000L;

    @Test
    void driftListsPriceChangesSinceADateWithAmountsAndPercentages() throws Exception {
        Map<String, Object> usd = pricedProduct("prod_DriftUsd", "usd", 2000L);
        Map<String, Object> eur = pricedProduct("prod_DriftEur", "eur", 1000L);
        Map<String, Object> jpy = pricedProduct("prod_DriftJpy", "jpy", 500L);
        pricedProduct("prod_Steady", "usd", 900L);
        triggerSync();
        newDefaultPrice(usd, "usd", 2500L);
        newDefaultPrice(eur, "eur", 900L);
        newDefaultPrice(jpy, "jpy", 600L);
        triggerSync();
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        HttpResponse<String> response = getDrift("?since=" + today, API_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().map()).doesNotContainKey("authorization");
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("since").asText()).isEqualTo(today + "T00:00:00Z");
        JsonNode changes = answer.get("price_changes");
        assertThat(changes).hasSize(3);
        JsonNode usdChange = change(changes, "prod_DriftUsd");
        assertThat(usdChange.get("product_name").asText()).isEqualTo("Product prod_DriftUsd");
        assertThat(usdChange.get("old_price_id").asText()).isEqualTo("price_prod_DriftUsd_2000");
        assertThat(usdChange.get("new_price_id").asText()).isEqualTo("price_prod_DriftUsd_2500");
        assertThat(usdChange.get("old_amount").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(usdChange.get("new_amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(usdChange.get("change_percent").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(usdChange.get("detected_at").asText()).startsWith(today + "T");
        assertThat(change(changes, "prod_DriftEur").get("change_percent").decimalValue()).isEqualByComparingTo("-10");
        JsonNode jpyChange = change(changes, "prod_DriftJpy");
        assertThat(jpyChange.get("old_amount").decimalValue()).isEqualByComparingTo("500");
        assertThat(jpyChange.get("new_amount").decimalValue()).isEqualByComparingTo("600");
        assertThat(jpyChange.get("change_percent").decimalValue()).isEqualByComparingTo("20");

        JsonNode tomorrow = JSON.readTree(getDrift("?since=" + LocalDate.now(ZoneOffset.UTC).plusDays(1),
                API_TOKEN).body());
        assertThat(tomorrow.get("price_changes")).isEmpty();
    }

    @Test
    void driftNeedsTheTokenAndADate() throws Exception {
        assertThat(getDrift("?since=2025-01-01", null).statusCode()).isEqualTo(401);
        assertThat(getDrift("?since=2025-01-01", "wrong-token-0123456789").statusCode()).isEqualTo(401);

        HttpResponse<String> missing = getDrift("", API_TOKEN);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("since is required");
        HttpResponse<String> garbage = getDrift("?since=last%20tuesday'%3B%20DROP%20TABLE%20x", API_TOKEN);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).doesNotContain("DROP").doesNotContain("Exception");
        // out of PostgreSQL's range or before any Stripe object: the caller's mistake (400), not a database fault (503)
        for (String outOfRange : new String[] {"999999999999", "0000-01-01", "10000-01-01T00:00:00Z"}) {
            HttpResponse<String> refused = getDrift("?since=" + outOfRange, API_TOKEN);
            assertThat(refused.statusCode()).as(outOfRange).isEqualTo(400);
            assertThat(refused.body()).contains("since").contains("1970-01-01");
        }
        assertThat(getDrift("?since=1735689600", API_TOKEN).statusCode()).isEqualTo(200);
        assertThat(getDrift("?since=2025-01-01T12:00:00Z", API_TOKEN).statusCode()).isEqualTo(200);
        assertThat(STRIPE.productListRequests()).isEmpty();
    }

    private Map<String, Object> pricedProduct(String id, String currency, long amount) {
        Map<String, Object> product = StripeCatalogue.product(id, "Product " + id, CREATED);
        STRIPE.catalogue().add(product);
        newDefaultPrice(product, currency, amount);
        product.put("updated", CREATED);
        return product;
    }

    private void newDefaultPrice(Map<String, Object> product, String currency, long amount) {
        String priceId = "price_" + product.get("id") + "_" + amount;
        STRIPE.catalogue().addPrice(StripeCatalogue.price(priceId, (String) product.get("id"), currency, amount,
                CREATED + 100));
        product.put("default_price", priceId);
        product.put("updated", ((Number) product.get("updated")).longValue() + 60);
    }

    private static JsonNode change(JsonNode changes, String productId) {
        for (JsonNode change : changes) {
            if (productId.equals(change.get("product_id").asText())) {
                return change;
            }
        }
        throw new AssertionError("no price change of " + productId + " in " + changes);
    }

    private HttpResponse<String> getDrift(String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/stripe-sync-products/drift" + query)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
