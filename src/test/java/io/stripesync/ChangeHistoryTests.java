package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.stripesync.TestJson.JSON;
import static io.stripesync.standin.StripeStandIn.stripeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import io.stripesync.run.RunLifecycle;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a run does with products the log already holds: one change row per changed field, the log row brought up to
 * date (never its created_at or logged_at), nothing for unchanged products, and deletions marked only after a
 * complete walk.
 */
class ChangeHistoryTests extends SyncTestSupport {

    @Autowired
    private RunLifecycle runLifecycle;

    @Test
    void nameChangeAppendsOneChangeRowAndUpdatesTheLogRow() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(150);
        triggerSync();
        Map<String, Object> before = logRow(ids.get(7));
        Map<String, Object> product = productInStripe(ids.get(7));
        product.put("name", "Renamed in Stripe");
        updatedInStripe(product);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("changed").asInt()).isEqualTo(1);
        assertThat(answer.get("synced").asInt()).isZero();
        assertThat(answer.get("skipped").asInt()).isEqualTo(149);
        assertThat(changes()).singleElement().satisfies(change -> assertThat(change)
                .containsEntry("stripe_product_id", ids.get(7)).containsEntry("field", "name")
                .containsEntry("old_value", "\"Generated product 8\"").containsEntry("new_value", "\"Renamed in Stripe\"")
                .containsEntry("source", "backfill").containsEntry("run_id", answer.get("runId").asLong()));
        Map<String, Object> after = logRow(ids.get(7));
        assertThat(after.get("name")).isEqualTo("Renamed in Stripe");
        assertThat(after.get("created_at")).isEqualTo(before.get("created_at"));
        assertThat(after.get("logged_at")).isEqualTo(before.get("logged_at"));
        assertThat(after.get("stripe_updated_at")).isNotEqualTo(before.get("stripe_updated_at"));
        assertThat(lastRun()).containsEntry("changed", 1).containsEntry("skipped", 149);
    }

    @Test
    void metadataChangeAppendsOneChangeRowAndReattributesTheProject() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(3);
        Map<String, Object> product = productInStripe(ids.get(0));
        product.put("metadata", Map.of("project", "omnia", "sku", "A-1"));
        triggerSync();
        product.put("metadata", Map.of("project", "atlas", "sku", "A-1"));
        updatedInStripe(product);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("changed").asInt()).isEqualTo(1);
        assertThat(changes()).singleElement().satisfies(change -> assertThat(change)
                .containsEntry("field", "metadata")
                .containsEntry("old_value", "{\"sku\": \"A-1\", \"project\": \"omnia\"}")
                .containsEntry("new_value", "{\"sku\": \"A-1\", \"project\": \"atlas\"}"));
        assertThat(logRow(ids.get(0))).containsEntry("project", "atlas");
    }

    @Test
    void newDefaultPriceAppendsOneChangeRowAndUpdatesThePriceColumns() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(2);
        Map<String, Object> product = productInStripe(ids.get(1));
        triggerSync();
        STRIPE.catalogue().addPrice(StripeCatalogue.price("price_Raised", ids.get(1), "usd", 2500L, 1_800_000_000L));
        product.put("default_price", "price_Raised");
        updatedInStripe(product);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("changed").asInt()).isEqualTo(1);
        assertThat(changes()).singleElement().satisfies(change -> {
            assertThat(change).containsEntry("field", "default_price");
            assertThat(JSON.readTree((String) change.get("old_value"))).isEqualTo(JSON.readTree(
                    "{\"id\":\"price_Gen0000000002\",\"currency\":\"usd\",\"unit_amount\":1002,\"amount\":10.02}"));
            assertThat(JSON.readTree((String) change.get("new_value"))).isEqualTo(JSON.readTree(
                    "{\"id\":\"price_Raised\",\"currency\":\"usd\",\"unit_amount\":2500,\"amount\":25.00}"));
        });
        assertThat(logRow(ids.get(1))).containsEntry("default_price_id", "price_Raised")
                .containsEntry("unit_amount", 2500L).containsEntry("price_usd", new java.math.BigDecimal("25.00"));
    }

    @Test
    void unchangedProductsProduceNoChangeRowsAndNoWrites() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(120);
        triggerSync();
        Object updatedAt = logRow(ids.get(0)).get("stripe_updated_at");
        long transactionBefore = jdbc.queryForObject("SELECT txid_current()", Long.class);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("changed").asInt()).isZero();
        assertThat(answer.get("skipped").asInt()).isEqualTo(120);
        assertThat(changes()).isEmpty();
        assertThat(logRow(ids.get(0)).get("stripe_updated_at")).isEqualTo(updatedAt);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log WHERE xmin::text::bigint > ?",
                Integer.class, transactionBefore)).as("log rows written by the second run").isZero();
    }

    @Test
    void productsStripeDidNotMarkUpdatedAreNotCompared() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(3);
        triggerSync();
        // Stripe bumps 'updated' on every change; a product whose 'updated' did not move is skipped unread
        productInStripe(ids.get(0)).put("name", "Changed without a new 'updated'");

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("changed").asInt()).isZero();
        assertThat(changes()).isEmpty();
        assertThat(logRow(ids.get(0))).containsEntry("name", "Generated product 1");
    }

    @Test
    void deletedProductIsMarkedAfterACompleteWalkAndNotAfterAFailedOne() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(150);
        triggerSync();
        Map<String, Object> deleted = productInStripe(ids.get(3));
        STRIPE.catalogue().remove(ids.get(3));
        // the walk fails on its second page
        String lastOfFirstPage = (String) STRIPE.catalogue().all().get(99).get("id");
        STRIPE.failProductRequestsWhere("starting_after", equalTo(lastOfFirstPage),
                stripeError(400, "invalid_request_error", null, "Bad request"));

        JsonNode failed = JSON.readTree(triggerSync().body());

        assertThat(failed.get("success").asBoolean()).isFalse();
        assertThat(failed.get("deleted").asInt()).isZero();
        assertThat(logRow(ids.get(3))).containsEntry("deleted_at", null);
        assertThat(changes()).isEmpty();

        STRIPE.clearFaults();
        JsonNode complete = JSON.readTree(triggerSync().body());

        assertThat(complete.get("success").asBoolean()).isTrue();
        assertThat(complete.get("deleted").asInt()).isEqualTo(1);
        assertThat(logRow(ids.get(3)).get("deleted_at")).isNotNull();
        assertThat(loggedCount()).as("rows are never deleted").isEqualTo(150);
        assertThat(changes()).singleElement().satisfies(change -> assertThat(change)
                .containsEntry("stripe_product_id", ids.get(3)).containsEntry("field", "deleted")
                .containsEntry("old_value", null));
        assertThat(lastRun()).containsEntry("deleted", 1);

        // marked once, not again
        assertThat(JSON.readTree(triggerSync().body()).get("deleted").asInt()).isZero();
        assertThat(changes()).hasSize(1);

        // listed by Stripe again: the mark goes, and that is a change too
        STRIPE.catalogue().add(deleted);
        JsonNode back = JSON.readTree(triggerSync().body());
        assertThat(back.get("changed").asInt()).isEqualTo(1);
        assertThat(logRow(ids.get(3))).containsEntry("deleted_at", null);
        assertThat(changes()).hasSize(2).last().satisfies(change -> assertThat(change)
                .containsEntry("field", "deleted").containsEntry("new_value", null));
    }

    @Test
    void interruptedWalkMarksNothingDeleted() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(500);
        triggerSync();
        STRIPE.catalogue().remove(ids.get(0));
        STRIPE.latencyMs(200);

        CompletableFuture<HttpResponse<String>> run = triggerSyncInBackground();
        await().atMost(Duration.ofSeconds(10)).until(() -> STRIPE.productListRequests().size() >= 4);
        runLifecycle.stopRunsAtNextPage();
        JsonNode answer = JSON.readTree(run.get(20, TimeUnit.SECONDS).body());

        assertThat(answer.get("status").asText()).isEqualTo("interrupted");
        assertThat(answer.get("deleted").asInt()).isZero();
        assertThat(logRow(ids.get(0))).containsEntry("deleted_at", null);
        assertThat(changes()).isEmpty();
    }

    @Test
    void productLoggedByTheApplicationDuringAWalkIsNotMarkedDeleted() throws Exception {
        STRIPE.catalogue().addGenerated(300);
        triggerSync();
        STRIPE.latencyMs(200);

        CompletableFuture<HttpResponse<String>> run = triggerSyncInBackground();
        await().atMost(Duration.ofSeconds(10)).until(() -> STRIPE.productListRequests().size() >= 4);
        // the application creates a product in Stripe (in front of the walk's cursor) and logs it
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, name, created_at, source) "
                + "VALUES ('prod_JustCreated', 'Created during the walk', now(), 'app')");
        JsonNode answer = JSON.readTree(run.get(20, TimeUnit.SECONDS).body());

        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("deleted").asInt()).isZero();
        assertThat(logRow("prod_JustCreated")).containsEntry("deleted_at", null);
    }

    @Test
    void changeHistoryIsAppendOnly() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(1);
        triggerSync();
        productInStripe(ids.get(0)).put("name", "New name");
        updatedInStripe(productInStripe(ids.get(0)));
        triggerSync();

        assertThat(changes()).hasSize(1);
        assertThatThrownBy(() -> jdbc.update("UPDATE stripe_product_changes SET new_value = '\"rewritten\"'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM stripe_product_changes"))
                .hasMessageContaining("append-only");
        assertThat(changes()).singleElement().satisfies(change ->
                assertThat(change).containsEntry("new_value", "\"New name\""));
    }

    private static Map<String, Object> productInStripe(String id) {
        return STRIPE.catalogue().all().stream().filter(p -> id.equals(p.get("id"))).findFirst().orElseThrow();
    }

    private static void updatedInStripe(Map<String, Object> product) {
        product.put("updated", ((Number) product.get("updated")).longValue() + 60);
    }

    private Map<String, Object> logRow(String id) {
        return jdbc.queryForMap("SELECT * FROM stripe_products_log WHERE stripe_product_id = ?", id);
    }

    private List<Map<String, Object>> changes() {
        return jdbc.queryForList("SELECT stripe_product_id, field, old_value::text AS old_value, "
                + "new_value::text AS new_value, source, run_id FROM stripe_product_changes ORDER BY id");
    }
}
