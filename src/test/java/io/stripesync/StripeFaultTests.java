package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static io.stripesync.TestJson.JSON;
import static io.stripesync.standin.StripeStandIn.stripeError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeStandIn;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeFaultTests extends SyncTestSupport {

    @Test
    void retriesAfter429AndTheRunSucceeds() throws Exception {
        STRIPE.catalogue().addGenerated(150);
        STRIPE.failNextProductRequests(1, stripeError(429, "invalid_request_error", "rate_limit", "Too many requests"));

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("synced").asInt()).isEqualTo(150);
        assertThat(loggedCount()).isEqualTo(150);
        assertThat(STRIPE.productListRequests()).hasSize(3); // 429, then the two pages
        assertThat(lastRun()).containsEntry("status", "succeeded");
    }

    @Test
    void stripeRejectingTheKeyFailsTheRunAtOnceWithAClearMessage() throws Exception {
        STRIPE.catalogue().addGenerated(10);
        STRIPE.failNextProductRequests(1, stripeError(401, "invalid_request_error", null,
                "Invalid API Key provided: sk_test_****1234"));

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error").asText()).contains("Stripe rejected the API key")
                .contains("sk_test_****1234").doesNotContain(StripeStandIn.API_KEY);
        assertThat(STRIPE.productListRequests()).hasSize(1);
        Map<String, Object> run = lastRun();
        assertThat(run).containsEntry("status", "failed").containsEntry("synced", 0);
        assertThat((String) run.get("error")).contains("Stripe rejected the API key");
        assertThat(loggedCount()).isZero();
    }

    @Test
    void stripeStillFailingAfterRetriesFailsTheRunWithItsProgress() throws Exception {
        STRIPE.catalogue().addGenerated(250);
        // the first page answers; every later request is a 503
        STRIPE.failProductRequestsWhere("starting_after", matching(".+"), stripeError(503, "api_error", null, "down"));

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error").asText()).contains("Stripe unavailable").contains("4 tries");
        assertThat(answer.get("synced").asInt()).isEqualTo(100);
        assertThat(STRIPE.productListRequests()).hasSize(1 + 4); // page 1, then page 2 tried 1 + 3 retries
        assertThat(lastRun()).containsEntry("status", "failed").containsEntry("pages", 1).containsEntry("synced", 100);
        assertThat(loggedCount()).isEqualTo(100);

        // Stripe recovers: the next run logs the rest and nothing twice
        STRIPE.clearFaults();
        JsonNode next = JSON.readTree(triggerSync().body());
        assertThat(next.get("synced").asInt()).isEqualTo(150);
        assertThat(loggedCount()).isEqualTo(250);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT stripe_product_id) FROM stripe_products_log",
                Integer.class)).isEqualTo(250);
    }
}
