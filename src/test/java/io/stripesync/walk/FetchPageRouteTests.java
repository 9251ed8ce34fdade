package io.stripesync.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stripesync.TestJson;
import io.stripesync.YamlRoutes;
import io.stripesync.run.TestRuns;
import io.stripesync.walk.StripePage.MalformedStripePageException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch step of the walk ({@code sync-fetch-page} in routes/stripe-sync.camel.yaml) with its HTTP call to Stripe
 * replaced: what the request carries, and what becomes of the page Stripe answers. Fixture pages come from
 * src/test/resources/stripe/.
 */
class FetchPageRouteTests {

    private static final String KEY = "sk_test_RouteTest0Key0000000005678";
    private static final String API_VERSION = "2025-09-30.clover";
    private static final long UNTIL = 1_721_839_100L;

    private static final AtomicReference<String> ANSWER = new AtomicReference<>();
    private static DefaultCamelContext camel;
    private static MockEndpoint stripe;

    @BeforeAll
    static void fetchStepWithStripeReplaced() throws Exception {
        camel = YamlRoutes.load(Map.of(
                        "stripe.secret-key", KEY,
                        "stripe.api-version", API_VERSION,
                        "stripe.api-base-url", "https://stripe.invalid",
                        "stripe.page-size", "100",
                        "stripe.connect-timeout-ms", "1000",
                        "stripe.read-timeout-ms", "1000",
                        "sync.walk.max-requests-per-second", "1000"),
                Map.of("stripePage", new StripePage()),
                List.of(YamlRoutes.ROUTES.resolve("stripe-sync.camel.yaml"),
                        YamlRoutes.ROUTES.resolve("error-handling.camel.yaml")),
                "sync-fetch-page");
        AdviceWith.adviceWith(camel, "sync-fetch-page", route -> route
                .interceptSendToEndpoint("https://stripe.invalid*").skipSendToOriginalEndpoint()
                .to("mock:stripe")
                // Stripe's answer: the page, with Stripe's response headers
                .process(exchange -> {
                    exchange.getMessage().setHeader("Request-Id", "req_route_test");
                    exchange.getMessage().setHeader("Content-Type", "application/json");
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    exchange.getMessage().setBody(TestJson.fixtureText(ANSWER.get()));
                }));
        camel.start();
        stripe = camel.getEndpoint("mock:stripe", MockEndpoint.class);
    }

    @BeforeEach
    void forgetEarlierRequests() {
        MockEndpoint.resetMocks(camel);
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
    }

    @Test
    void theRequestCarriesOnlyTheKeyTheVersionAndTheQuery() throws Exception {
        ANSWER.set("/stripe/products-page.json");
        stripe.expectedMessageCount(1);
        Window window = Window.productsOf(TestRuns.narrowed("&active=true", null, UNTIL));

        Exchange fetched = fetch(window, "sku+1&2");

        stripe.assertIsSatisfied();
        // a GET, set on the endpoint; Camel's HTTP headers set the path and query; every other header goes to
        // Stripe as it is
        Exchange sent = stripe.getReceivedExchanges().get(0);
        assertThat(sent.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class)).contains("httpMethod=GET");
        assertThat(sent.getMessage().getHeaders()).containsOnly(
                Map.entry("Authorization", "Bearer " + KEY),
                Map.entry("Stripe-Version", API_VERSION),
                Map.entry(Exchange.HTTP_PATH, "/v1/products"),
                Map.entry(Exchange.HTTP_QUERY,
                        "limit=100&active=true&created%5Blt%5D=" + UNTIL + "&starting_after=sku%2B1%262"));
        assertThat(fetched.getException()).isNull();
        // the page, parsed, for the next steps; nothing of the request or of Stripe's answer stays in the headers
        assertThat(fetched.getProperty(WindowSource.PAGE)).isEqualTo(TestJson.fixture("/stripe/products-page.json"));
        assertThat(fetched.getMessage().getHeaders()).isEmpty();
    }

    @Test
    void aWindowsFirstPageAsksWithoutACursor() throws Exception {
        ANSWER.set("/stripe/products-last-page.json");
        stripe.expectedMessageCount(2);

        fetch(Window.productsOf(TestRuns.wholeCatalogue()), null);
        fetch(Window.pricesOf(TestRuns.wholeCatalogue()), null);

        stripe.assertIsSatisfied();
        assertThat(stripe.getReceivedExchanges()).extracting(
                exchange -> exchange.getMessage().getHeader(Exchange.HTTP_PATH),
                exchange -> exchange.getMessage().getHeader(Exchange.HTTP_QUERY)).containsExactly(
                tuple("/v1/products", "limit=100"),
                tuple("/v1/prices", "limit=100"));
    }

    @Test
    void aPageThatDoesNotMoveTheWalkOnRaisesMalformedStripePageException() throws Exception {
        ANSWER.set("/stripe/products-page-without-cursor.json");

        Exchange fetched = fetch(Window.productsOf(TestRuns.wholeCatalogue()), "prod_QXg1hqf4jFNsqG");

        assertThat(fetched.getException()).isInstanceOf(MalformedStripePageException.class)
                .hasMessageContaining("has_more but its last object has no id");
        assertThat(fetched.getProperty(WindowSource.PAGE)).isNull();
    }

    @Test
    void aPageAlreadyWalkedInTheWindowRaisesMalformedStripePageException() throws Exception {
        ANSWER.set("/stripe/products-page.json");
        Window window = Window.productsOf(TestRuns.wholeCatalogue());

        assertThat(fetch(window, null).getException()).isNull();
        Exchange again = fetch(window, "sku+1&2");

        assertThat(again.getException()).isInstanceOf(MalformedStripePageException.class)
                .hasMessageContaining("repeats a page already walked");
    }

    /** Runs the fetch step as a walker does, from a trigger's exchange: the caller's headers are still on it. */
    private Exchange fetch(Window window, String cursor) {
        return camel.createProducerTemplate().send("direct:sync-fetch-page", exchange -> {
            exchange.getMessage().setHeader("Authorization", "Bearer the-callers-api-token-0123456789");
            exchange.getMessage().setHeader("X-Forwarded-For", "203.0.113.7");
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/stripe-sync-products");
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "source=pg_cron");
            exchange.setProperty(WindowSource.WINDOW, window);
            if (cursor != null) {
                exchange.setProperty("stripeStartingAfter", cursor);
            }
        });
    }
}
