package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.stripesync.standin.StripeStandIn.stripeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.standin.StripeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The Stripe key, the API token and the database password never reach a log line or a response. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakTests extends SyncTestSupport {

    @Test
    void noSecretInLogsOrResponsesAcrossSuccessFailureAndRefusal(CapturedOutput output) throws Exception {
        List<String> bodies = new ArrayList<>();
        STRIPE.catalogue().addGenerated(120);
        bodies.add(triggerSync().body());                                   // success
        bodies.add(post("/stripe-sync-products", "wrong-token-1234567890").body()); // refused
        STRIPE.failProductRequests(stripeError(401, "invalid_request_error", null,
                "Invalid API Key provided: " + StripeStandIn.API_KEY));      // a Stripe echoing the key whole
        bodies.add(triggerSync().body());
        STRIPE.clearFaults();
        STRIPE.failProductRequests(aResponse().withStatus(503));
        bodies.add(triggerSync().body());                                   // retried, then failed
        STRIPE.clearFaults();
        for (String endpoint : List.of("/actuator/env", "/actuator/configprops", "/actuator/health")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + endpoint)).build(),
                    HttpResponse.BodyHandlers.ofString());
            bodies.add(response.statusCode() + " " + response.body());
        }
        List<String> errors = jdbc.queryForList("SELECT coalesce(error, '') FROM stripe_sync_runs", String.class);

        for (String secret : List.of(StripeStandIn.API_KEY, API_TOKEN, DATABASE_PASSWORD)) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            assertThat(bodies).as("responses").noneMatch(body -> body.contains(secret));
            assertThat(errors).as("run records").noneMatch(error -> error.contains(secret));
        }
        assertThat(bodies.get(2)).contains("sk_test_****1234");
        assertThat(String.join("\n", bodies)).doesNotContain("Exception").doesNotContain("at io.stripesync");
    }
}
