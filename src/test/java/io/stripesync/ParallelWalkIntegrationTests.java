package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static io.stripesync.TestJson.JSON;
import static io.stripesync.standin.StripeStandIn.stripeError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The walk in windows of creation time, several at once: this class's service has 6 walkers and at most 25
 * requests/s, with the shared context's retry settings, on the same database and stand-in. Windows must cover the
 * time axis with no gap and no overlap, and produce exactly the log the sequential walk (the shared context's) does.
 */
class ParallelWalkIntegrationTests extends SyncTestSupport {

    private static final long JAN_2020 = 1_577_836_800L;

    private static ConfigurableApplicationContext parallel;

    /**
     * Started with the first test rather than in a @BeforeAll: until a test instance is prepared, Camel's Spring test
     * listener holds back the start of every CamelContext in the JVM (skipStartingCamelContext), this one's too.
     */
    @BeforeEach
    void startTheParallelServiceOnce() {
        if (parallel == null) {
            parallel = ServiceOnDatabase.startOnTestDatabase(STRIPE, "SYNC_WALK_CONCURRENCY=6",
                    "SYNC_WALK_MAX_REQUESTS_PER_SECOND=25", "SYNC_RETRY_MAX_RETRIES=3", "SYNC_RETRY_INITIAL_DELAY_MS=50",
                    "SYNC_RETRY_MAX_DELAY_MS=200", "STRIPE_READ_TIMEOUT_MS=1000");
        }
    }

    @AfterAll
    static void stopTheParallelService() {
        if (parallel != null) {
            parallel.close();
            parallel = null;
        }
    }

    @Test
    void parallelAndSequentialWalksLogExactlyTheSameRows() throws Exception {
        unevenCatalogue();

        JsonNode answer = syncInParallel();

        assertThat(answer.get("success").asBoolean()).isTrue();
        int size = STRIPE.catalogue().size();
        assertThat(answer.get("synced").asInt()).isEqualTo(size);
        assertThat(answer.get("scanned").asInt()).as("every product seen once: no overlap").isEqualTo(size);
        assertThat(answer.get("pages").asInt()).isEqualTo(STRIPE.productListRequests().size());
        assertThat(STRIPE.productListRequests()).anyMatch(r -> r.getUrl().contains("created%5Blt%5D")
                || r.getUrl().contains("created[lt]"));

        String rows = "SELECT stripe_product_id, name, description, active, livemode, metadata::text, project, "
                + "created_at, stripe_updated_at, source FROM stripe_products_log ORDER BY stripe_product_id";
        List<Map<String, Object>> parallelRows = jdbc.queryForList(rows);
        emptyTheLog();
        assertThat(triggerSync().body()).as("the sequential walk").contains("\"synced\":" + size);
        assertThat(parallelRows).isEqualTo(jdbc.queryForList(rows));
    }

    @Test
    void productsCreatedOnTheSameSecondAsAWindowBoundaryAreLoggedOnce() throws Exception {
        // 1,000 products share one second, right where windows split; more before and after it
        for (int i = 0; i < 1000; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Tie%06d", i), "Tie " + i, JAN_2020));
        }
        for (int i = 0; i < 400; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Bef%06d", i), "Before " + i,
                    JAN_2020 - 1 - i));
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Aft%06d", i), "After " + i,
                    JAN_2020 + 1 + i));
        }

        JsonNode answer = syncInParallel();

        assertThat(answer.get("synced").asInt()).isEqualTo(1800);
        assertThat(answer.get("scanned").asInt()).isEqualTo(1800);
        assertLogEqualsCatalogue();
    }

    @Test
    void emptyWindowsAndAWindowOfManyPagesBothEndCorrectly() throws Exception {
        // 2012 has one product, 2013..2022 none, 2023 has 900: windows split into the gap find nothing
        STRIPE.catalogue().add(StripeCatalogue.product("prod_Lonely00001", "Alone in 2012", 1_330_000_000L));
        for (int i = 0; i < 900; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Busy%06d", i), "Busy " + i,
                    1_690_000_000L + i * 7L));
        }

        JsonNode answer = syncInParallel();

        assertThat(answer.get("synced").asInt()).isEqualTo(901);
        assertLogEqualsCatalogue();
        assertThat(jdbc.queryForObject("SELECT status FROM stripe_sync_runs", String.class)).isEqualTo("succeeded");
    }

    @Test
    void staysUnderStripesRateLimitWithoutA429() throws Exception {
        STRIPE.catalogue().addGenerated(3000);
        STRIPE.latencyMs(150);
        STRIPE.rateLimit(25);

        long start = System.nanoTime();
        JsonNode answer = syncInParallel();
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(answer.get("synced").asInt()).isEqualTo(3000);
        assertThat(STRIPE.rateLimitedRequests()).as("429s caused by our own traffic").isZero();
        int requests = STRIPE.productListRequests().size();
        assertThat(requests / seconds).as("requests per second").isLessThanOrEqualTo(25.5);
    }

    @Test
    void aFailingWindowFailsTheWholeRun() throws Exception {
        STRIPE.catalogue().addGenerated(2000);
        STRIPE.latencyMs(50);
        // any window split off (it has an upper bound) is refused: Stripe says the request is bad
        STRIPE.failProductRequestsWhere("created[lt]", matching(".+"),
                stripeError(400, "invalid_request_error", "parameter_invalid", "Invalid created filter"));

        JsonNode answer = syncInParallel();

        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error").asText()).contains("HTTP 400");
        Map<String, Object> run = lastRun();
        assertThat(run).containsEntry("status", "failed");
        assertThat((Integer) run.get("synced")).isLessThan(2000).isEqualTo(loggedCount());
    }

    private void unevenCatalogue() {
        int n = 0;
        // a burst of 1,500 products within ten minutes, a steady trickle over years, and a few old ones
        for (int i = 0; i < 1500; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Burst%06d", n++), "Burst " + i,
                    1_700_000_000L + i % 600));
        }
        for (int i = 0; i < 600; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Trick%06d", n++), "Trickle " + i,
                    1_500_000_000L + i * 250_000L));
        }
        for (int i = 0; i < 5; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("prod_Old%06d", n++), "Old " + i,
                    1_300_000_000L + i));
        }
    }

    private static JsonNode syncInParallel() throws Exception {
        return JSON.readTree(ServiceOnDatabase.sync(parallel));
    }

    private void assertLogEqualsCatalogue() {
        Set<String> catalogue = STRIPE.catalogue().all().stream().map(p -> (String) p.get("id"))
                .collect(Collectors.toSet());
        List<String> logged = jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class);
        assertThat(logged).doesNotHaveDuplicates();
        assertThat(Set.copyOf(logged)).isEqualTo(catalogue);
    }
}
