package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.stripesync.standin.StripeStandIn.stripeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.config.Secrets;
import io.stripesync.standin.StripeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The Stripe key, the API and read tokens, the webhook's secrets and the database password never reach a log line or
 * a response.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakTests extends SyncTestSupport {

    @Autowired
    private Secrets secrets;

    @Test
    void noSecretInLogsOrResponsesAcrossSuccessFailureAndRefusal(CapturedOutput output) throws Exception {
        List<String> bodies = new ArrayList<>();
        STRIPE.catalogue().addGenerated(120);
        bodies.add(triggerSync().body());                                   // success
        bodies.add(post("/stripe-sync-products", "wrong-token-1234567890").body()); // refused
        bodies.add(post("/stripe-sync-products", READ_TOKEN).body());            // refused: it only reads
        STRIPE.failProductRequests(stripeError(401, "invalid_request_error", null,
                "Invalid API Key provided: " + StripeStandIn.API_KEY));      // a Stripe echoing the key whole
        bodies.add(triggerSync().body());
        STRIPE.clearFaults();
        STRIPE.failProductRequests(aResponse().withStatus(503));
        bodies.add(triggerSync().body());                                   // retried, then failed
        STRIPE.clearFaults();
        // webhook deliveries: a wrong signature, a right one (the secrets sign, they never show)
        String event = TestJson.JSON.writeValueAsString(STRIPE.catalogue().emit("product.updated",
                STRIPE.catalogue().all().get(0)));
        long now = System.currentTimeMillis() / 1000;
        for (String secret : List.of("whsec_wrong_secret_0123456789", WEBHOOK_SECRET)) {
            bodies.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/stripe/webhook")).header("Stripe-Signature", "t=" + now + ",v1="
                    + EventsIntegrationTests.sign(secret, now, event)).POST(HttpRequest.BodyPublishers.ofString(event))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        }
        // what the reading endpoints show, with each token and none (metrics name exception classes: not checked below)
        List<String> reads = new ArrayList<>();
        for (String endpoint : List.of("/actuator/env", "/actuator/configprops", "/actuator/health",
                "/actuator/prometheus", "/stripe-sync-products/runs")) {
            for (String token : new String[] {null, API_TOKEN, READ_TOKEN}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + endpoint));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                        HttpResponse.BodyHandlers.ofString());
                reads.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
            }
        }
        List<String> errors = jdbc.queryForList("SELECT coalesce(error, '') FROM stripe_sync_runs", String.class);

        for (String secret : List.of(StripeStandIn.API_KEY, API_TOKEN, READ_TOKEN, DATABASE_PASSWORD, WEBHOOK_SECRET,
                WEBHOOK_SECRET_2)) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            assertThat(bodies).as("responses").noneMatch(body -> body.contains(secret));
            assertThat(reads).as("reading endpoints").noneMatch(body -> body.contains(secret));
            assertThat(errors).as("run records").noneMatch(error -> error.contains(secret));
        }
        assertThat(bodies.get(3)).contains("sk_test_****1234");
        // scrubbed like the others wherever text leaves the service
        assertThat(secrets.scrub("error: " + READ_TOKEN + " / " + API_TOKEN)).doesNotContain(READ_TOKEN)
                .doesNotContain(API_TOKEN).contains("****");
        assertThat(String.join("\n", bodies)).doesNotContain("Exception").doesNotContain("at io.stripesync");
    }
}
