package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.ops.LastSuccessfulRun;
import io.stripesync.standin.StripeCatalogue;
import io.stripesync.standin.StripeStandIn;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What an operator asks without reading code: run history, statistics, metrics, health. */
class OperationsEndpointsTests extends SyncTestSupport {

    @Autowired
    private LastSuccessfulRun lastSuccessfulRun;

    @Test
    void runHistoryListsTheNewestRunsFirstBehindTheToken() throws Exception {
        STRIPE.catalogue().addGenerated(150);
        triggerSync();
        STRIPE.catalogue().addGenerated(5);
        triggerSync();
        triggerSync();

        HttpResponse<String> response = get("/stripe-sync-products/runs?limit=2", API_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode runs = JSON.readTree(response.body());
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("id").asLong()).isEqualTo(3);
        assertThat(runs.get(1).get("id").asLong()).isEqualTo(2);
        assertThat(runs.get(1).get("synced").asInt()).isEqualTo(5);
        assertThat(runs.get(1).get("scanned").asInt()).isEqualTo(155);
        assertThat(runs.get(1).get("skipped").asInt()).isEqualTo(150);
        for (String count : new String[] {"changed", "deleted", "filtered", "failed"}) {
            assertThat(runs.get(1).get(count).asInt()).as(count).isZero();
        }
        assertThat(runs.get(1).get("status").asText()).isEqualTo("succeeded");
        assertThat(runs.get(1).get("trigger").asText()).isEqualTo("http");
        assertThat(runs.get(1).get("started_at").asText()).isNotBlank();
        assertThat(response.headers().map().toString()).doesNotContain(API_TOKEN);
        assertThat(JSON.readTree(get("/stripe-sync-products/runs", API_TOKEN).body())).hasSize(3);

        assertThat(get("/stripe-sync-products/runs", null).statusCode()).isEqualTo(401);
        assertThat(get("/stripe-sync-products/runs?limit=abc", API_TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/stripe-sync-products/runs?limit=101", API_TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void runDetailShowsTheProductsTheRunCouldNotLog() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        STRIPE.catalogue().add(StripeCatalogue.unreadable("prod_BadMetadata01", "Bad", 1_700_000_000L));
        long runId = JSON.readTree(triggerSync().body()).get("runId").asLong();

        HttpResponse<String> response = get("/stripe-sync-products/runs/" + runId, API_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode detail = JSON.readTree(response.body());
        assertThat(detail.get("run").get("status").asText()).isEqualTo("failed");
        assertThat(detail.get("run").get("failed").asInt()).isEqualTo(1);
        assertThat(detail.get("failures")).hasSize(1);
        assertThat(detail.get("failures").get(0).get("stripe_product_id").asText()).isEqualTo("prod_BadMetadata01");
        assertThat(detail.get("failures").get(0).get("reason").asText()).contains("metadata");

        assertThat(get("/stripe-sync-products/runs/999", API_TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/stripe-sync-products/runs/x1", API_TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/stripe-sync-products/runs/" + runId, "wrong-token-000000000").statusCode()).isEqualTo(401);
    }

    @Test
    void statsCountProductsPerProject() throws Exception {
        for (int i = 0; i < 5; i++) {
            Map<String, Object> product = StripeCatalogue.product("prod_Stats000000" + i, "P" + i, 1_700_000_000L + i);
            product.put("metadata", Map.of("project", i < 3 ? "omnia" : "atlas"));
            STRIPE.catalogue().add(product);
        }
        triggerSync();
        jdbc.update("INSERT INTO stripe_products_log (stripe_product_id, project, logged_at) "
                + "VALUES ('prod_OldOne', 'omnia', now() - interval '3 days')");

        JsonNode stats = JSON.readTree(get("/stripe-sync-products/stats", API_TOKEN).body());

        assertThat(stats).hasSize(2);
        JsonNode atlas = stats.get(0);
        JsonNode omnia = stats.get(1);
        assertThat(atlas.get("project").asText()).isEqualTo("atlas");
        assertThat(atlas.get("total_products").asInt()).isEqualTo(2);
        assertThat(omnia.get("total_products").asInt()).isEqualTo(4);
        assertThat(omnia.get("logged_last_24h").asInt()).isEqualTo(3);
        assertThat(omnia.get("last_successful_sync").asText()).isNotBlank();
        assertThat(get("/stripe-sync-products/stats", null).statusCode()).isEqualTo(401);
    }

    @Test
    void prometheusShowsRunsProductsStripeResponsesAndRetries() throws Exception {
        // the metrics are the service's since it started (shared by the tests): compare before and after
        String before = get("/actuator/prometheus", API_TOKEN).body();
        STRIPE.catalogue().addGenerated(120);
        STRIPE.failNextProductRequests(1, aResponse().withStatus(429)
                .withBody(StripeStandIn.errorBody("invalid_request_error", "rate_limit", "x")));
        triggerSync();

        String after = get("/actuator/prometheus", API_TOKEN).body();

        assertThat(delta(before, after, "stripe_sync_runs_total", "outcome=\"succeeded\"", "trigger=\"http\"")).isEqualTo(1);
        assertThat(delta(before, after, "stripe_sync_products_total", "result=\"synced\"")).isEqualTo(120);
        assertThat(delta(before, after, "stripe_sync_pages_total")).isEqualTo(2);
        assertThat(delta(before, after, "stripe_api_requests_seconds_count", "status=\"429\"")).isEqualTo(1);
        assertThat(delta(before, after, "stripe_api_requests_seconds_count", "status=\"200\"")).isEqualTo(2);
        assertThat(delta(before, after, "stripe_sync_retries_total", "cause=\"429\"")).isEqualTo(1);
        assertThat(after).contains("stripe_api_requests_seconds_bucket{");
        assertThat(value(after, "stripe_sync_last_success_timestamp_seconds"))
                .isGreaterThan(System.currentTimeMillis() / 1000.0 - 60);
        assertThat(after).contains("camel_exchanges");
    }

    /** How much a Prometheus sample (the line of {@code name} with all {@code labels}) grew. */
    private static double delta(String before, String after, String name, String... labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    private static double value(String metrics, String name, String... labels) {
        return metrics.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void healthTurnsOutOfServiceWhenTheLastSuccessfulRunIsTooOld() throws Exception {
        STRIPE.catalogue().addGenerated(1);
        triggerSync();
        lastSuccessfulRun.refresh();
        HttpResponse<String> fresh = get("/actuator/health", API_TOKEN);
        assertThat(fresh.statusCode()).isEqualTo(200);
        JsonNode components = JSON.readTree(fresh.body()).get("components");
        assertThat(components.get("syncFreshness").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);

        jdbc.update("UPDATE stripe_sync_runs SET started_at = now() - interval '30 hours', "
                + "finished_at = now() - interval '30 hours'");
        lastSuccessfulRun.refresh();
        HttpResponse<String> stale = get("/actuator/health", API_TOKEN);

        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(stale.body()).get("components").get("syncFreshness").get("status").asText())
                .isEqualTo("OUT_OF_SERVICE");
        // not a reason to restart the service, nor to take it out of rotation
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aSucceededCatchUpDoesNotHideAWalkThatHasNotSucceededForTooLong() throws Exception {
        STRIPE.catalogue().addGenerated(1);
        triggerSync();
        jdbc.update("UPDATE stripe_sync_runs SET started_at = now() - interval '30 hours', "
                + "finished_at = now() - interval '30 hours'");
        // the events catch-up runs every few minutes and succeeds while the daily walk may be broken
        jdbc.update("INSERT INTO stripe_sync_runs (kind, trigger, status, started_at, finished_at, events) "
                + "VALUES ('events', 'schedule', 'succeeded', now() - interval '1 minute', now(), 3)");
        lastSuccessfulRun.refresh();

        HttpResponse<String> health = get("/actuator/health", API_TOKEN);
        String metrics = get("/actuator/prometheus", API_TOKEN).body();
        JsonNode stats = JSON.readTree(get("/stripe-sync-products/stats", API_TOKEN).body());

        Instant walkFinished = jdbc.queryForObject("SELECT finished_at FROM stripe_sync_runs WHERE kind = 'walk'",
                java.sql.Timestamp.class).toInstant();
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode freshness = JSON.readTree(health.body()).get("components").get("syncFreshness");
        assertThat(freshness.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(Instant.parse(freshness.get("details").get("lastSuccessfulRun").asText())).isEqualTo(walkFinished);
        assertThat(value(metrics, "stripe_sync_last_success_timestamp_seconds"))
                .isEqualTo((double) walkFinished.getEpochSecond());
        assertThat(Instant.parse(stats.get(0).get("last_successful_sync").asText())).isEqualTo(walkFinished);
    }

    @Test
    void everyLogLineOfARunCarriesItsRunId() throws Exception {
        try (LogLines lines = new LogLines()) {
            STRIPE.catalogue().addGenerated(1100); // 11 pages: a progress line at 10
            STRIPE.failNextProductRequests(1, aResponse().withStatus(503));
            String runId = JSON.readTree(triggerSync().body()).get("runId").asText();

            assertThat(lines.messages())
                    .anyMatch(m -> m.contains("started")).anyMatch(m -> m.contains("retry 1"))
                    .anyMatch(m -> m.contains("10 pages")).anyMatch(m -> m.contains("succeeded"));
            assertThat(lines.events()).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("runId", runId));
        }
    }
}
