package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.standin.StripeCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The events catch-up and signed webhooks against the stand-in's events, on the real service and database. */
class EventsIntegrationTests extends SyncTestSupport {

    private static final ObjectMapper JSON = TestJson.JSON;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aCatchUpBringsTheLogToStripesStateForWhatChangedAtTheCostOfWhatChanged() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(300);
        assertThat(JSON.readTree(triggerSync().body()).get("synced").asInt()).isEqualTo(300);
        JsonNode first = catchUp();
        assertThat(first.get("events").asInt()).as("no cursor yet: starts from now").isZero();
        assertThat(STRIPE.eventListRequests()).isEmpty();

        StripeCatalogue stripe = STRIPE.catalogue();
        for (int i = 0; i < 30; i++) {
            stripe.update(ids.get(i), Map.of("name", "Renamed " + i));
        }
        for (int i = 0; i < 10; i++) {
            stripe.create("prod_New" + i, "New product " + i);
        }
        for (int i = 100; i < 105; i++) {
            stripe.delete(ids.get(i));
        }
        stripe.changeDefaultPrice(ids.get(200), 4200);
        stripe.changeDefaultPrice(ids.get(201), 4300);
        STRIPE.wireMock().resetRequests();

        JsonNode answer = catchUp();

        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("kind").asText()).isEqualTo("events");
        assertThat(answer.get("events").asInt()).isEqualTo(stripe.events().size());
        assertThat(answer.get("synced").asInt()).isEqualTo(10);
        assertThat(answer.get("changed").asInt()).isEqualTo(32);
        assertThat(answer.get("deleted").asInt()).isEqualTo(5);
        // one page of events, one re-read of the 42 products they name
        assertThat(STRIPE.eventListRequests()).hasSize(1);
        assertThat(STRIPE.productListRequests()).hasSize(1);
        assertThat(STRIPE.productListRequests().get(0).queryParameter("ids[]").values()).hasSize(42);
        assertLogMatchesStripe();
        assertThat(jdbc.queryForList("SELECT field FROM stripe_product_changes WHERE source = 'events' "
                + "AND event_id IS NOT NULL", String.class))
                .filteredOn("name"::equals).hasSize(30);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes WHERE field = 'default_price'",
                Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes WHERE field = 'deleted'",
                Integer.class)).isEqualTo(5);
        assertThat(lastRun()).containsEntry("kind", "events").containsEntry("status", "succeeded");

        STRIPE.wireMock().resetRequests();
        JsonNode again = catchUp();
        assertThat(again.get("synced").asInt() + again.get("changed").asInt() + again.get("deleted").asInt()).isZero();
        assertThat(STRIPE.eventListRequests()).hasSize(1);
        assertThat(STRIPE.productListRequests()).isEmpty();
    }

    @Test
    void theSameChangeSeenByAWebhookAndThenTheCatchUpIsRecordedOnce() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(5);
        triggerSync();
        catchUp();
        STRIPE.catalogue().update(ids.get(0), Map.of("name", "Renamed by webhook"));
        Map<String, Object> event = STRIPE.catalogue().events().get(0);

        HttpResponse<String> delivered = deliver(event, WEBHOOK_SECRET);

        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(name(ids.get(0))).isEqualTo("Renamed by webhook");
        Map<String, Object> change = jdbc.queryForMap("SELECT * FROM stripe_product_changes");
        assertThat(change).containsEntry("source", "webhook").containsEntry("event_id", event.get("id"))
                .containsEntry("field", "name");
        assertThat(change.get("run_id")).isNull();

        assertThat(deliver(event, WEBHOOK_SECRET_2).statusCode()).as("a redelivery").isEqualTo(200);
        JsonNode answer = catchUp();
        assertThat(answer.get("events").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_events_log", Integer.class)).isEqualTo(1);
    }

    @Test
    void anOlderEventAfterANewerOneLeavesTheNewestState() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(3);
        triggerSync();
        STRIPE.catalogue().update(ids.get(1), Map.of("name", "First"));
        Map<String, Object> older = STRIPE.catalogue().events().get(0);
        STRIPE.catalogue().update(ids.get(1), Map.of("name", "Second"));
        Map<String, Object> newer = STRIPE.catalogue().events().get(0);

        assertThat(deliver(newer, WEBHOOK_SECRET).statusCode()).isEqualTo(200);
        assertThat(deliver(older, WEBHOOK_SECRET).statusCode()).isEqualTo(200);

        assertThat(name(ids.get(1))).isEqualTo("Second");
        assertThat(jdbc.queryForList("SELECT new_value::text FROM stripe_product_changes", String.class))
                .containsExactly("\"Second\"");
    }

    @Test
    void aProductCreatedAndDeletedBetweenTwoCatchUpsIsLoggedThenMarkedDeleted() throws Exception {
        triggerSync();
        catchUp();
        STRIPE.catalogue().create("prod_Ephemeral", "Here and gone");
        STRIPE.catalogue().delete("prod_Ephemeral");

        JsonNode answer = catchUp();

        assertThat(answer.get("synced").asInt()).isEqualTo(1);
        assertThat(answer.get("deleted").asInt()).isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT name, deleted_at, deleted_event_id FROM stripe_products_log WHERE stripe_product_id = 'prod_Ephemeral'");
        assertThat(row.get("name")).isEqualTo("Here and gone");
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(row.get("deleted_event_id")).isEqualTo(STRIPE.catalogue().events().get(0).get("id"));
    }

    @Test
    void aCursorOlderThanStripeKeepsEventsRunsAFullWalkInstead() throws Exception {
        STRIPE.catalogue().addGenerated(150);
        catchUp();
        jdbc.update("UPDATE stripe_sync_cursors SET updated_at = now() - interval '30 days', "
                + "event_created = now() - interval '30 days'");

        JsonNode answer = catchUp();

        assertThat(answer.get("kind").asText()).isEqualTo("walk");
        assertThat(answer.get("reason").asText()).contains("SYNC_EVENTS_MAX_AGE");
        assertThat(answer.get("synced").asInt()).isEqualTo(150);
        assertThat(lastRun()).containsEntry("kind", "walk").containsEntry("status", "succeeded");
        assertThat(jdbc.queryForObject("SELECT updated_at > now() - interval '1 minute' FROM stripe_sync_cursors",
                Boolean.class)).isTrue();
    }

    @Test
    void webhookSignaturesAreCheckedAsStripeSignsThem() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(2);
        triggerSync();
        STRIPE.catalogue().update(ids.get(0), Map.of("name", "Signed"));
        Map<String, Object> event = STRIPE.catalogue().events().get(0);
        String body = JSON.writeValueAsString(event);
        long now = System.currentTimeMillis() / 1000;

        assertThat(send(body, null).statusCode()).as("no header").isEqualTo(400);
        assertThat(send(body, "t=" + now + ",v1=" + sign("whsec_wrong", now, body)).statusCode()).as("wrong secret")
                .isEqualTo(400);
        assertThat(send(body.replace("Signed", "Tampered"), "t=" + now + ",v1=" + sign(WEBHOOK_SECRET, now, body))
                .statusCode()).as("tampered body").isEqualTo(400);
        assertThat(send(body, "t=" + (now - 600) + ",v1=" + sign(WEBHOOK_SECRET, now - 600, body)).statusCode())
                .as("stale").isEqualTo(400);
        assertThat(send(body, "t=abc,v1=zz").statusCode()).as("malformed").isEqualTo(400);
        // signed, but larger than STRIPE_WEBHOOK_MAX_BODY_BYTES (1 MiB): refused on its declared length, unread (the
        // client waits for 100 Continue, as a large upload should, and so never sends it)
        String large = body.substring(0, body.length() - 1) + ",\"padding\":\"" + "x".repeat(1 << 20) + "\"}";
        HttpResponse<String> tooLarge = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/stripe/webhook")).expectContinue(true).header("Content-Type", "application/json")
                .header("Stripe-Signature", "t=" + now + ",v1=" + sign(WEBHOOK_SECRET, now, large))
                .POST(HttpRequest.BodyPublishers.ofString(large)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).as("too large").isEqualTo(413);
        assertThat(name(ids.get(0))).as("nothing written").isNotEqualTo("Signed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_events_log", Integer.class)).isZero();

        HttpResponse<String> several = send(body, "t=" + now + ",v1=" + sign("whsec_old", now, body) + ",v1="
                + sign(WEBHOOK_SECRET_2, now, body));
        assertThat(several.statusCode()).as("several v1, one right").isEqualTo(200);
        assertThat(several.body()).doesNotContain(WEBHOOK_SECRET).doesNotContain(WEBHOOK_SECRET_2);
        assertThat(name(ids.get(0))).isEqualTo("Signed");

        Map<String, Object> other = STRIPE.catalogue().emit("customer.created", Map.of("id", "cus_1"));
        assertThat(deliver(other, WEBHOOK_SECRET).statusCode()).as("another type: acknowledged").isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT outcome FROM stripe_events_log WHERE event_id = ?", String.class,
                other.get("id"))).isEqualTo("ignored");
    }

    @Test
    void aCatchUpOverlappingAWalkLosesNoUpdateDuplicatesNothingAndNeverGoesBack() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(3000);
        catchUp(); // the cursor starts now
        STRIPE.latencyMs(30); // the walk takes a while: 30 pages
        var walk = triggerSyncInBackground();
        // while it walks: changes to products on pages it has walked, is walking and has yet to walk, then webhooks
        // and a catch-up for them
        for (int round = 0; round < 3; round++) {
            Thread.sleep(250);
            for (int i = round; i < ids.size(); i += 150) {
                STRIPE.catalogue().update(ids.get(i), Map.of("name", "Round " + round + " of " + i));
            }
            deliver(STRIPE.catalogue().events().get(0), WEBHOOK_SECRET);
            catchUp();
        }
        assertThat(JSON.readTree(walk.get().body()).get("success").asBoolean()).isTrue();
        STRIPE.latencyMs(0);
        catchUp();

        assertLogMatchesStripe();
        assertThat(loggedCount()).isEqualTo(3000);
        // a change is recorded once, whoever saw it first: no two rows for the same product, field and new value
        assertThat(jdbc.queryForObject("SELECT count(*) FROM (SELECT stripe_product_id, field, new_value FROM "
                + "stripe_product_changes GROUP BY 1, 2, 3 HAVING count(*) > 1) d", Integer.class)).isZero();
        // and no row took a product back to an older name
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes WHERE field = 'name' "
                + "AND old_value::text LIKE '%Round%' AND new_value::text NOT LIKE '%Round%'", Integer.class)).isZero();
    }

    private void assertLogMatchesStripe() {
        for (Map<String, Object> product : STRIPE.catalogue().all()) {
            Map<String, Object> row = jdbc.queryForMap("SELECT name, default_price_id, deleted_at FROM "
                    + "stripe_products_log WHERE stripe_product_id = ?", product.get("id"));
            assertThat(row.get("name")).isEqualTo(product.get("name"));
            assertThat(row.get("default_price_id")).isEqualTo(product.get("default_price"));
            assertThat(row.get("deleted_at")).isNull();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log WHERE deleted_at IS NULL",
                Integer.class)).isEqualTo(STRIPE.catalogue().size());
    }

    private String name(String productId) {
        return jdbc.queryForObject("SELECT name FROM stripe_products_log WHERE stripe_product_id = ?", String.class,
                productId);
    }

    private JsonNode catchUp() throws Exception {
        HttpResponse<String> response = post("/stripe-sync-products/events", API_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> deliver(Map<String, Object> event, String secret) throws Exception {
        String body = JSON.writeValueAsString(event);
        long now = System.currentTimeMillis() / 1000;
        return send(body, "t=" + now + ",v1=" + sign(secret, now, body));
    }

    private HttpResponse<String> send(String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stripe/webhook"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As Stripe signs: HMAC-SHA256 of "t.body" with the endpoint's secret, hex. */
    static String sign(String secret, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
