package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeSyncIntegrationTests extends SyncTestSupport {

    @Test
    void fullSyncOfSeveralPagesLogsEveryProductOnce() throws Exception {
        STRIPE.catalogue().addGenerated(250);

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("synced").asInt()).isEqualTo(250);
        assertThat(answer.get("pages").asInt()).isEqualTo(3);
        assertThat(loggedCount()).isEqualTo(250);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT stripe_product_id) FROM stripe_products_log",
                Integer.class)).isEqualTo(250);
        assertThat(STRIPE.productListRequests()).hasSize(3);
    }

    @Test
    void storesEveryFieldExactly() throws Exception {
        String awkwardName = "Ünïcødé 🚀 \"quoted\" back\\slash\nnewline'); DROP TABLE stripe_products_log; --";
        Map<String, Object> product = StripeCatalogue.product("prod_Awkward0000001", awkwardName,
                Instant.parse("2017-03-04T05:06:07Z").getEpochSecond());
        product.put("description", "Line one\nLine two ✓");
        product.put("active", false);
        product.put("updated", Instant.parse("2024-01-02T03:04:05Z").getEpochSecond());
        product.put("metadata", Map.of("project", "omnia", "long", "x".repeat(500), "quote", "it's \"fine\""));
        STRIPE.catalogue().add(product);

        assertThat(triggerSync().statusCode()).isEqualTo(200);

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM stripe_products_log WHERE stripe_product_id = ?",
                "prod_Awkward0000001");
        assertThat(row.get("name")).isEqualTo(awkwardName);
        assertThat(row.get("description")).isEqualTo("Line one\nLine two ✓");
        assertThat(row.get("active")).isEqualTo(false);
        assertThat(row.get("livemode")).isEqualTo(false);
        assertThat(row.get("project")).isEqualTo("omnia");
        assertThat(row.get("source")).isEqualTo("backfill");
        assertThat(((Timestamp) row.get("created_at")).toInstant()).isEqualTo(Instant.parse("2017-03-04T05:06:07Z"));
        assertThat(((Timestamp) row.get("stripe_updated_at")).toInstant())
                .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(row.get("logged_at")).isNotNull();
        JsonNode metadata = JSON.readTree(row.get("metadata").toString());
        assertThat(metadata.get("long").asText()).hasSize(500);
        assertThat(metadata.get("quote").asText()).isEqualTo("it's \"fine\"");
        assertThat(metadata.size()).isEqualTo(3);
    }

    @Test
    void secondSyncInsertsNothingAndAsksStripeTheSame() throws Exception {
        STRIPE.catalogue().addGenerated(230);
        triggerSync();
        int firstRequests = STRIPE.productListRequests().size();

        HttpResponse<String> second = triggerSync();

        JsonNode answer = JSON.readTree(second.body());
        assertThat(answer.get("synced").asInt()).isZero();
        assertThat(answer.get("skipped").asInt()).isEqualTo(230);
        assertThat(loggedCount()).isEqualTo(230);
        assertThat(STRIPE.productListRequests().size() - firstRequests).isEqualTo(firstRequests);
    }

    @Test
    void onlyProductsAddedBetweenRunsAreInserted() throws Exception {
        STRIPE.catalogue().addGenerated(120);
        triggerSync();
        List<String> added = STRIPE.catalogue().addGenerated(7);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("synced").asInt()).isEqualTo(7);
        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log WHERE logged_at > "
                + "(SELECT min(finished_at) FROM stripe_sync_runs)", String.class))
                .containsExactlyInAnyOrderElementsOf(added);
        assertThat(loggedCount()).isEqualTo(127);
    }

    @Test
    void productAlreadyLoggedByAnotherWriterIsNotInsertedAgainButBroughtUpToDate() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(5);
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, name, source, project) "
                + "VALUES (?, 'Logged by the app', 'app', 'atlas')", ids.get(2));
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, name, source, project) "
                + "VALUES (?, 'Generated product 4', 'app', 'atlas')", ids.get(3));

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("synced").asInt()).isEqualTo(3);
        // its name differs from Stripe's: a change; the other only lacked columns, filled in without a change
        assertThat(answer.get("changed").asInt()).isEqualTo(1);
        assertThat(answer.get("skipped").asInt()).isEqualTo(1);
        assertThat(loggedCount()).isEqualTo(5);
        assertThat(jdbc.queryForMap("SELECT name, source, project FROM stripe_products_log WHERE stripe_product_id = ?",
                ids.get(2))).containsEntry("name", "Generated product 3").containsEntry("source", "app")
                .containsEntry("project", "atlas");
        assertThat(jdbc.queryForList("SELECT stripe_product_id, field, old_value::text, new_value::text "
                + "FROM stripe_product_changes")).singleElement().satisfies(change -> assertThat(change)
                .containsEntry("stripe_product_id", ids.get(2)).containsEntry("field", "name")
                .containsEntry("old_value", "\"Logged by the app\"").containsEntry("new_value", "\"Generated product 3\""));
        assertThat(jdbc.queryForMap("SELECT active, metadata::text AS metadata, default_price_id, source "
                + "FROM stripe_products_log WHERE stripe_product_id = ?", ids.get(3)))
                .containsEntry("active", true).containsEntry("metadata", "{}")
                .containsEntry("default_price_id", "price_Gen0000000004").containsEntry("source", "app");
    }

    @Test
    void productsAfterAPageOfLoggedOnesAreInserted() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(250);
        // the newest 100 (Stripe's first page) and one further back are logged already
        for (String id : ids.subList(150, 250)) {
            jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, source) VALUES (?, 'app')", id);
        }
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, source) VALUES (?, 'app')", ids.get(10));

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("synced").asInt()).isEqualTo(149);
        assertThat(answer.get("skipped").asInt()).isEqualTo(101);
        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void runRecordMatchesTheAnswer() throws Exception {
        STRIPE.catalogue().addGenerated(150);

        JsonNode answer = JSON.readTree(triggerSync().body());

        Map<String, Object> run = lastRun();
        assertThat(run.get("id")).isEqualTo(answer.get("runId").asLong());
        assertThat(run.get("status")).isEqualTo("succeeded");
        assertThat(run.get("trigger")).isEqualTo("http");
        assertThat(run.get("synced")).isEqualTo(answer.get("synced").asInt());
        assertThat(run.get("scanned")).isEqualTo(150);
        assertThat(run.get("pages")).isEqualTo(2);
        assertThat(run.get("finished_at")).isNotNull();
    }
}
