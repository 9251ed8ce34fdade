package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class TriggerEndpointTests extends SyncTestSupport {

    @Test
    void missingTokenIsRefusedAndStripeIsNotCalled() throws Exception {
        STRIPE.catalogue().addGenerated(3);

        HttpResponse<String> response = post("/stripe-sync-products", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain(API_TOKEN);
        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(loggedCount()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isZero();
    }

    @Test
    void wrongTokenIsRefusedAndStripeIsNotCalled() throws Exception {
        STRIPE.catalogue().addGenerated(3);

        assertThat(post("/stripe-sync-products", API_TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(post("/stripe-sync-products", API_TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(post("/omnia-shared/stripe-sync-products", "not-the-token").statusCode()).isEqualTo(401);

        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(loggedCount()).isZero();
    }

    @Test
    void encodedOrParameterisedPathsCannotSlipPastTheToken() throws Exception {
        STRIPE.catalogue().addGenerated(3);

        for (String path : new String[] {"/stripe-sync-products;x=1", "/%73tripe-sync-products",
                "/omnia-shared/stripe-sync-products;jsessionid=1", "/stripe-sync-products;x/runs",
                "/%73tripe-sync-products/stats"}) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + path))
                    .method(path.endsWith("runs") || path.endsWith("stats") ? "GET" : "POST",
                            HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isIn(400, 401, 404);
        }
        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(loggedCount()).isZero();
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/stripe-sync-products"))
                .header("Authorization", "Bearer " + API_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(STRIPE.productListRequests()).isEmpty();
    }

    @Test
    void bodyThatIsNotJsonIsRefusedWithoutARun() throws Exception {
        HttpResponse<String> response = send("POST", "/stripe-sync-products", API_TOKEN, "not json {");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not JSON").doesNotContain("Exception").doesNotContain("at io.");
        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isZero();
    }

    @Test
    void oversizedBodyIsRefusedWithoutARun() throws Exception {
        HttpResponse<String> response = send("POST", "/stripe-sync-products", API_TOKEN,
                "{\"padding\":\"" + "x".repeat(20_000) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(STRIPE.productListRequests()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isZero();
    }

    @Test
    void emptyOrJsonBodyStartsARun() throws Exception {
        STRIPE.catalogue().addGenerated(2);

        assertThat(send("POST", "/stripe-sync-products", API_TOKEN, "").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/stripe-sync-products", API_TOKEN, "{\"source\":\"pg_cron\"}").statusCode())
                .isEqualTo(200);
        assertThat(loggedCount()).isEqualTo(2);
    }

    @Test
    void aChunkedBodyIsReadAndCheckedLikeAnyOther() throws Exception {
        STRIPE.catalogue().addGenerated(2);

        HttpResponse<String> json = sendChunked("{\"source\":\"pg_cron\"}");
        HttpResponse<String> tooLarge = sendChunked("{\"padding\":\"" + "x".repeat(20_000) + "\"}");
        HttpResponse<String> notJson = sendChunked("not json {");

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isEqualTo(1);
    }

    /** No Content-Length: sent in chunks as it is read. */
    private HttpResponse<String> sendChunked(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/stripe-sync-products")).header("Authorization", "Bearer " + API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void malformedAuthorizationHeadersAreRefusedAlike() throws Exception {
        for (String header : new String[] {"Basic " + API_TOKEN, "Bearer", "Bearer  ", "Bearer" + API_TOKEN,
                "Token " + API_TOKEN, API_TOKEN}) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + "/stripe-sync-products"))
                    .header("Authorization", header).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(header).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"success\":false,\"error\":\"unauthorized\"}");
        }
        assertThat(STRIPE.productListRequests()).isEmpty();
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        STRIPE.catalogue().addGenerated(1);

        for (String scheme : new String[] {"bearer", "BEARER", "bEaReR"}) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + "/stripe-sync-products"))
                    .header("Authorization", scheme + " " + API_TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(scheme).isEqualTo(200);
        }
        assertThat(loggedCount()).isEqualTo(1);
    }

    @Test
    void legacyOmniaSharedPathSyncsToo() throws Exception {
        STRIPE.catalogue().addGenerated(4);

        HttpResponse<String> response = post("/omnia-shared/stripe-sync-products", API_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("synced").asInt()).isEqualTo(4);
        assertThat(loggedCount()).isEqualTo(4);
    }

    @Test
    void callerHeadersNeverReachStripeAndStripeHeadersNeverReachTheCaller() throws Exception {
        STRIPE.catalogue().addGenerated(2);

        HttpResponse<String> response = triggerSync();

        assertThat(STRIPE.productListRequests()).singleElement().satisfies(request -> {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + StripeStandIn.API_KEY);
            assertThat(request.getHeader("Stripe-Version")).isNotBlank();
            assertThat(request.getAllHeaderKeys()).noneMatch(h -> h.startsWith("Camel"));
            assertThat(request.queryParameter("limit").firstValue()).isEqualTo("100");
        });
        assertThat(response.headers().map().toString()).doesNotContain(StripeStandIn.API_KEY).doesNotContain(API_TOKEN)
                .doesNotContain("Stripe-Version").doesNotContain("products");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void concurrentTriggersNeverDuplicateAndTheLoserGets409() throws Exception {
        STRIPE.catalogue().addGenerated(300);
        STRIPE.latencyMs(150);

        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<HttpResponse<String>> first = triggerSyncInBackground(callers);
            CompletableFuture<HttpResponse<String>> second = triggerSyncInBackground(callers);
            List<HttpResponse<String>> responses = List.of(first.get(), second.get());

            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).sorted().toList();
            assertThat(statuses).containsExactly(200, 409);
            HttpResponse<String> busy = responses.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
            JsonNode answer = JSON.readTree(busy.body());
            assertThat(answer.get("success").asBoolean()).isFalse();
            assertThat(answer.get("error").asText()).contains("already running");
        } finally {
            callers.shutdown();
        }
        assertThat(loggedCount()).isEqualTo(300);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT stripe_product_id) FROM stripe_products_log",
                Integer.class)).isEqualTo(300);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isEqualTo(1);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
