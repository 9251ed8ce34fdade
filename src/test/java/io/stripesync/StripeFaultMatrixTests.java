package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.stripesync.standin.StripeStandIn;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Each kind of Stripe fault against the real service and database: what is retried succeeds on the next attempt
 * with every product logged once; what is not retried fails the run at once, recorded as failed.
 */
class StripeFaultMatrixTests extends SyncTestSupport {

    @Test
    void connectionResetIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Test
    void malformedResponseChunkIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    }

    @Test
    void emptyResponseIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withFault(Fault.EMPTY_RESPONSE));
    }

    @Test
    void readTimeoutIsRetried() throws Exception {
        // the tests' read timeout is 1 s
        assertRetriedThenSucceeds(okPage().withFixedDelay(2500));
    }

    @Test
    void htmlErrorPageFromAProxyIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>"));
    }

    @Test
    void truncatedJsonIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"prod_"));
    }

    @Test
    void nonJsonOkBodyIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html>maintenance</html>"));
    }

    @Test
    void rateLimitWithoutRetryAfterIsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withStatus(429).withHeader("Stripe-Rate-Limited-Reason", "global-rate")
                .withBody(StripeStandIn.errorBody("invalid_request_error", "rate_limit", "Too many requests")));
    }

    @Test
    void retriesAfter429HonouringRetryAfter() throws Exception {
        STRIPE.failNextProductRequests(1, aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody(StripeStandIn.errorBody("invalid_request_error", "rate_limit", "Too many requests")));
        STRIPE.catalogue().addGenerated(30);

        long start = System.nanoTime();
        HttpResponse<String> response = triggerSync();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(loggedCount()).isEqualTo(30);
        // the configured backoff is 50..200 ms: only Retry-After explains a wait of a second
        assertThat(tookMs).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void stripeShouldRetryFalseOnA500IsNotRetried() throws Exception {
        STRIPE.failNextProductRequests(1, aResponse().withStatus(500).withHeader("Stripe-Should-Retry", "false")
                .withBody(StripeStandIn.errorBody("api_error", null, "Something went wrong")));
        STRIPE.catalogue().addGenerated(30);

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(STRIPE.productListRequests()).hasSize(1);
        assertThat(lastRun()).containsEntry("status", "failed");
        assertThat(loggedCount()).isZero();
    }

    @Test
    void stripeShouldRetryTrueOnA409IsRetried() throws Exception {
        assertRetriedThenSucceeds(aResponse().withStatus(409).withHeader("Stripe-Should-Retry", "true")
                .withBody(StripeStandIn.errorBody("invalid_request_error", "lock_timeout", "Lock timeout")));
    }

    @Test
    void badRequestFailsAtOnce() throws Exception {
        STRIPE.failNextProductRequests(1, aResponse().withStatus(400)
                .withBody(StripeStandIn.errorBody("invalid_request_error", "parameter_unknown", "Received unknown parameter: x")));
        STRIPE.catalogue().addGenerated(30);

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .contains("HTTP 400").contains("Received unknown parameter");
        assertThat(STRIPE.productListRequests()).hasSize(1);
        assertThat(lastRun()).containsEntry("status", "failed");
    }

    @Test
    void forbiddenRestrictedKeyFailsAtOnceNamingThePermission() throws Exception {
        STRIPE.failNextProductRequests(1, aResponse().withStatus(403).withBody(StripeStandIn.errorBody(
                "invalid_request_error", null, "The provided key 'rk_test_****1234' does not have the required "
                        + "permissions for this endpoint on account 'acct_1Test'. Having the 'rak_product_read' "
                        + "permission would allow this request to continue.")));

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("HTTP 403")
                .contains("read access to Products").contains("missing permission rak_product_read")
                .doesNotContain(StripeStandIn.API_KEY);
        assertThat(STRIPE.productListRequests()).hasSize(1);
    }

    private void assertRetriedThenSucceeds(ResponseDefinitionBuilder fault) throws Exception {
        STRIPE.catalogue().addGenerated(130);
        STRIPE.failNextProductRequests(1, fault);

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("synced").asInt()).isEqualTo(130);
        assertThat(loggedCount()).isEqualTo(130);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT stripe_product_id) FROM stripe_products_log",
                Integer.class)).isEqualTo(130);
        assertThat(STRIPE.productListRequests()).hasSize(3); // the fault, then both pages
        assertThat(lastRun()).containsEntry("status", "succeeded").containsEntry("pages", 2);
    }

    private static ResponseDefinitionBuilder okPage() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"/v1/products\"}");
    }
}
