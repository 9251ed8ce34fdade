package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Nothing is readable without a token but health's status; the API token opens everything, the read-only token
 * everything that only reads.
 */
class ActuatorAndTokenAccessTests extends SyncTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutATokenHealthAndItsProbesAnswerTheirStatusOnly() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            HttpResponse<String> response = send("GET", path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            JsonNode health = JSON.readTree(response.body());
            assertThat(health.get("status").asText()).as(path).isEqualTo("UP");
            assertThat(health.has("components")).as(path).isFalse();
            assertThat(health.has("details")).as(path).isFalse();
            assertThat(response.body()).as(path).doesNotContain("PostgreSQL").doesNotContain("camel");
        }
    }

    @Test
    void everyOtherActuatorPathNeedsAToken() throws Exception {
        for (String path : new String[] {"/actuator", "/actuator/prometheus", "/actuator/health/db",
                "/actuator/health/syncFreshness", "/actuator/health/camelHealth", "/actuator/env", "/actuator/metrics",
                "/actuator/health/liveness/../../prometheus", "/actuator/%70rometheus", "/actuator/prometheus;x=1"}) {
            HttpResponse<String> response = send("GET", path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).as(path).isEqualTo("{\"success\":false,\"error\":\"unauthorized\"}");
        }
    }

    @Test
    void aWrongTokenSeesNoMoreThanNone() throws Exception {
        HttpResponse<String> health = send("GET", "/actuator/health", "wrong-token-0123456789");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).has("components")).isFalse();
        assertThat(send("GET", "/actuator/prometheus", "wrong-token-0123456789").statusCode()).isEqualTo(401);
    }

    @Test
    void theApiTokenOpensHealthDetailsAndMetrics() throws Exception {
        HttpResponse<String> health = send("GET", "/actuator/health", API_TOKEN);
        HttpResponse<String> readiness = send("GET", "/actuator/health/readiness", API_TOKEN);
        HttpResponse<String> metrics = send("GET", "/actuator/prometheus", API_TOKEN);

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode components = JSON.readTree(health.body()).get("components");
        assertThat(components.get("db").get("details").get("database").asText()).isEqualTo("PostgreSQL");
        assertThat(components.has("syncFreshness")).isTrue();
        assertThat(JSON.readTree(readiness.body()).get("components").has("db")).isTrue();
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("stripe_sync_").contains("camel_");
    }

    @Test
    void theReadTokenReadsEverythingButCannotTriggerASync() throws Exception {
        STRIPE.catalogue().addGenerated(3);

        assertThat(send("GET", "/actuator/prometheus", READ_TOKEN).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/actuator/health", READ_TOKEN).body()).has("components")).isTrue();
        for (String path : new String[] {"/stripe-sync-products/runs", "/stripe-sync-products/stats",
                "/stripe-sync-products/drift?since=2025-01-01"}) {
            assertThat(send("GET", path, READ_TOKEN).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : new String[] {"/stripe-sync-products", "/omnia-shared/stripe-sync-products"}) {
            HttpResponse<String> trigger = send("POST", path, READ_TOKEN);
            assertThat(trigger.statusCode()).as(path).isEqualTo(403);
            assertThat(JSON.readTree(trigger.body()).get("error").asText()).contains("SYNC_API_TOKEN");
        }

        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isZero();
        // the one run the API token starts is readable with the read token
        assertThat(triggerSync().statusCode()).isEqualTo(200);
        assertThat(send("GET", "/stripe-sync-products/runs/1", READ_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void theErrorPageCannotBeAskedForDirectly() throws Exception {
        for (String token : new String[] {null, API_TOKEN, READ_TOKEN}) {
            for (String method : new String[] {"GET", "POST"}) {
                HttpResponse<String> response = send(method, "/error", token);

                assertThat(response.statusCode()).as(method + " with " + token).isEqualTo(404);
                assertThat(response.body()).isEqualTo("{\"success\":false,\"error\":\"not found\"}");
            }
        }
        // the error page still renders for requests that fail
        HttpResponse<String> unknown = send("GET", "/stripe-sync-products/nothing-here", API_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);
    }
}
