package io.stripesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.StripeSyncApplication;
import io.stripesync.TestDatabase;
import io.stripesync.standin.GeneratedCatalogue;
import io.stripesync.standin.StripeStandIn;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The sync benchmark: prints figures, asserts nothing about time. Not part of {@code ./mvnw verify} (its name does
 * not match Surefire's test patterns); run it as the README says:
 * {@code ./mvnw -B test -Dtest=SyncBenchmark -DargLine=-Xmx512m [-Dbenchmark.sizes=1000,10000,100000]
 * [-Dbenchmark.latencies=0,150]}.
 *
 * <p>For each catalogue size, stand-in latency and price setting ({@code -Dbenchmark.prices=on,off,all}: default
 * prices inline, no prices, default prices plus the walk of every price) it runs the real service (the routes,
 * through {@code direct:stripe-sync}) on an empty log, again with nothing missing, and then the bound: a plain Java
 * loop doing only the essential work (GET each page, parse it, one batch insert per page) on the same stand-in and
 * database. The stand-in computes its products and prices on demand, so the heap measured is the service's.
 */
@SpringBootTest(classes = StripeSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestPropertySource(properties = {"sync.api-token=benchmark-token-0123456789", "sync.schedule.enabled=false",
        "sync.http.enabled=false", "logging.level.io.stripesync=WARN"})
class SyncBenchmark {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUND_INSERT = """
            INSERT INTO stripe_products_log (stripe_product_id, name, description, active, livemode, metadata,
                                             project, created_at, stripe_updated_at, source)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, 'backfill')
            ON CONFLICT (stripe_product_id) DO NOTHING""";

    @Autowired
    private CamelContext camel;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private DataSource dataSource;

    /** The services with prices off and with the walk of every price, on the same database and stand-in. */
    private final Map<String, ConfigurableApplicationContext> variants = new HashMap<>();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("stripe.api-base-url", STRIPE::baseUrl);
        registry.add("stripe.secret-key", () -> StripeStandIn.API_KEY);
    }

    @Test
    void printFigures() throws Exception {
        jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        List<Integer> sizes = ints(System.getProperty("benchmark.sizes", "1000,10000"));
        List<Integer> latencies = ints(System.getProperty("benchmark.latencies", "0,150"));
        List<String> priceModes = List.of(System.getProperty("benchmark.prices", "on,off,all").split(","));
        List<String> rows = new ArrayList<>();
        try {
            for (String prices : priceModes) {
                warmUp(producer(prices), prices);
            }
            for (int latency : latencies) {
                for (int size : sizes) {
                    for (String prices : priceModes) {
                        ProducerTemplate producer = producer(prices);
                        STRIPE.reset();
                        STRIPE.serve(new GeneratedCatalogue(size));
                        STRIPE.latencyMs(latency);
                        truncateAll();
                        Figures first = measure(size, () -> sync(producer, size));
                        Figures rerun = measure(size, () -> sync(producer, 0));
                        jdbc.execute("TRUNCATE stripe_products_log");
                        Figures bound = measure(size, () -> plainLoop(size, !"off".equals(prices)));
                        rows.add(first.row(size, latency, "prices " + prices + ", first run", bound));
                        rows.add(rerun.row(size, latency, "prices " + prices + ", re-run", bound));
                        rows.add(bound.row(size, latency, "prices " + prices + ", bound", bound));
                    }
                }
            }
        } finally {
            variants.values().forEach(ConfigurableApplicationContext::close);
        }
        System.out.println();
        System.out.println(String.format("%8s %7s %-24s %6s %9s %9s %10s %9s %9s %10s %8s", "products", "latency",
                "what", "pages", "requests", "seconds", "products/s", "db stmts", "stmts/pg", "peak heap", "vs bound"));
        rows.forEach(System.out::println);
        System.out.println("(prices on: default prices inline (expand[]=data.default_price); off: none; all: inline, then"
                + " GET /v1/prices for every price; pages: product pages; requests: product and price list requests;"
                + " latency: ms the stand-in adds per request; db stmts: pg_stat_statements calls during the sync, run"
                + " bookkeeping included; peak heap: MB used, sampled every 10 ms; bound: a plain loop, products only;"
                + " JVM " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Xmx")).findFirst().orElse("(default -Xmx)") + ")");
        System.out.println();
    }

    /** The service of this test for prices on; one started on the same database for off and all. */
    private ProducerTemplate producer(String prices) {
        if ("on".equals(prices)) {
            return camel.createProducerTemplate();
        }
        ConfigurableApplicationContext service = variants.computeIfAbsent(prices, mode ->
                new SpringApplicationBuilder(StripeSyncApplication.class).web(WebApplicationType.NONE).properties(
                        "spring.datasource.url=" + TestDatabase.jdbcUrl(), "spring.datasource.username=postgres",
                        "STRIPE_API_BASE_URL=" + STRIPE.baseUrl(), "STRIPE_SECRET_KEY=" + StripeStandIn.API_KEY,
                        "SYNC_HTTP_ENABLED=false", "SYNC_SCHEDULE_ENABLED=false", "logging.level.io.stripesync=WARN",
                        "off".equals(mode) ? "SYNC_PRICES_ENABLED=false" : "SYNC_PRICES_ALL=true").run());
        return service.getBean(CamelContext.class).createProducerTemplate();
    }

    private void truncateAll() {
        jdbc.execute("TRUNCATE stripe_products_log, stripe_sync_runs, stripe_sync_failures, stripe_product_changes, "
                + "stripe_prices_log RESTART IDENTITY");
    }

    /** One unmeasured round of both, so neither pays the JIT's warm-up in the figures. */
    private void warmUp(ProducerTemplate producer, String prices) {
        STRIPE.serve(new GeneratedCatalogue(2000));
        truncateAll();
        sync(producer, 2000);
        jdbc.execute("TRUNCATE stripe_products_log");
        plainLoop(2000, !"off".equals(prices));
    }

    /** Runs {@code work} (which returns the pages it walked) and reads requests, statements and heap around it. */
    private Figures measure(int size, Supplier<Integer> work) {
        System.gc();
        jdbc.execute("SELECT pg_stat_statements_reset()");
        int requestsBefore = STRIPE.productListRequestCount() + STRIPE.priceListRequestCount();
        HeapSampler heap = new HeapSampler();
        long start = System.nanoTime();
        int pages = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = heap.stop();
        if (Boolean.getBoolean("benchmark.show-statements")) {
            jdbc.queryForList("SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query "
                    + "FROM pg_stat_statements ORDER BY calls DESC").forEach(System.out::println);
        }
        Long statements = jdbc.queryForObject("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                + "WHERE query NOT ILIKE '%pg_stat_statements%'", Long.class);
        return new Figures(pages, STRIPE.productListRequestCount() + STRIPE.priceListRequestCount() - requestsBefore,
                seconds, statements, peakHeap);
    }

    private int sync(ProducerTemplate producer, int expectedSynced) {
        String answer = producer.requestBody("direct:stripe-sync", null, String.class);
        try {
            JsonNode json = JSON.readTree(answer);
            if (!json.path("success").asBoolean() || json.path("synced").asInt() != expectedSynced) {
                throw new IllegalStateException("unexpected sync answer: " + answer);
            }
            return json.path("pages").asInt();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The essential work and nothing else: GET each page, parse it, insert its products in one JDBC batch. */
    private int plainLoop(int size, boolean withPrices) {
        HttpClient http = HttpClient.newHttpClient();
        String startingAfter = null;
        int pages = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            boolean hasMore = true;
            while (hasMore) {
                URI uri = URI.create(STRIPE.baseUrl() + "/v1/products?limit=100"
                        + (withPrices ? "&expand%5B%5D=data.default_price" : "")
                        + (startingAfter == null ? "" : "&starting_after=" + startingAfter));
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + StripeStandIn.API_KEY).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                JsonNode page = JSON.readTree(response.body());
                try (PreparedStatement insert = connection.prepareStatement(BOUND_INSERT)) {
                    for (JsonNode product : page.get("data")) {
                        insert.setString(1, product.get("id").asText());
                        insert.setString(2, product.get("name").asText());
                        insert.setString(3, product.path("description").asText(null));
                        insert.setBoolean(4, product.get("active").asBoolean());
                        insert.setBoolean(5, product.get("livemode").asBoolean());
                        insert.setString(6, product.get("metadata").toString());
                        insert.setString(7, product.get("metadata").path("project").asText(null));
                        insert.setTimestamp(8, Timestamp.from(Instant.ofEpochSecond(product.get("created").asLong())));
                        insert.setTimestamp(9, Timestamp.from(Instant.ofEpochSecond(product.get("updated").asLong())));
                        insert.addBatch();
                        startingAfter = product.get("id").asText();
                    }
                    insert.executeBatch();
                }
                connection.commit();
                pages++;
                hasMore = page.get("has_more").asBoolean();
            }
        } catch (Exception e) {
            throw new IllegalStateException("plain loop failed", e);
        }
        return pages;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private record Figures(int pages, int requests, double seconds, long statements, long peakHeapBytes) {

        String row(int size, int latency, String what, Figures bound) {
            return String.format("%8d %5dms %-24s %6d %9d %9.2f %10.0f %9d %9.1f %8.0fMB %7.2fx", size, latency, what,
                    pages, requests, seconds, size / seconds, statements, pages == 0 ? 0.0 : (double) statements / pages,
                    peakHeapBytes / 1048576.0, seconds / bound.seconds);
        }
    }

    /** Samples used heap every 10 ms on a daemon thread; {@link #stop()} returns the highest value seen. */
    private static final class HeapSampler {

        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        HeapSampler() {
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return peak.get();
        }
    }
}
