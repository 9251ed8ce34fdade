package io.stripesync;

import static io.stripesync.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync benchmark: prints figures, asserts nothing about time. Not part of {@code ./mvnw verify} (its name does
 * not match Surefire's test patterns); run it as the README says:
 * {@code ./mvnw -B test -Dtest=SyncBenchmark -DargLine=-Xmx512m [-Dbenchmark.sizes=1000,10000,100000]
 * [-Dbenchmark.latencies=0,150]}.
 *
 * <p>For each stand-in latency and catalogue size it starts the real service (routes, database, everything) on a
 * fresh database and syncs through {@code direct:sync-run}: the sequential walk on an empty log and again with
 * nothing missing, the parallel walk (latency above 0), and the bound: a plain Java loop doing only the essential
 * work (GET each page, parse it, one batch insert per page) against the same stand-in and database server. The
 * stand-in computes its products on demand, so the heap measured is the service's. At 0 ms there is no Stripe rate
 * limit to respect (the client-side limit is lifted); with latency, the limit is 25 requests/s, Stripe's test mode.
 */
class SyncBenchmark {

    private static final int RATE_LIMIT = 25;
    /** -Dbenchmark.inprocess=false: only the plain loop and the java -jar runs. */
    private static final boolean IN_PROCESS = !"false".equals(System.getProperty("benchmark.inprocess"));
    /** The walk's threads in a thread dump: the sync route's split (on the syncWalkers pool) names them. */
    private static final String WALKER_THREADS = System.getProperty("benchmark.walker.threads", "- Split");
    private static final int PARALLEL_WALKERS = Integer.getInteger("benchmark.walkers", 6);
    private static final String BOUND_INSERT = """
            INSERT INTO stripe_products_log (stripe_product_id, name, description, active, livemode, metadata,
                                             project, created_at, stripe_updated_at, source)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, 'backfill')
            ON CONFLICT (stripe_product_id) DO NOTHING""";

    private final StripeStandIn stripe = StripeStandIn.start(0, false);
    private final List<String> rows = new ArrayList<>();
    private final Map<String, Figures> bounds = new HashMap<>();
    private final List<String> busiestThreads = new ArrayList<>();
    private final List<String> busiestStatements = new ArrayList<>();
    /** The bound's database: the log table as the migrations make it, nothing else. */
    private JdbcTemplate boundDb;

    @Test
    void printFigures() throws Exception {
        // in the template, so every database made for a measurement can read the statement counts
        new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                TestDatabase.server().getJdbcUrl("postgres", "template1")))
                .execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        List<Integer> sizes = ints(System.getProperty("benchmark.sizes", "1000,10000"));
        List<Integer> latencies = ints(System.getProperty("benchmark.latencies", "0,150"));
        boundDb = ServiceOnDatabase.newDatabase("CREATE TABLE stripe_products_log (id bigserial PRIMARY KEY, "
                + "stripe_product_id text UNIQUE NOT NULL, name text, description text, active boolean, "
                + "livemode boolean, metadata jsonb, project text, created_at timestamptz, "
                + "stripe_updated_at timestamptz, logged_at timestamptz DEFAULT now(), source text)");
        warmUp();
        for (int latency : latencies) {
            for (int size : sizes) {
                stripe.reset();
                stripe.serve(new GeneratedCatalogue(size));
                stripe.latencyMs(latency);
                if (latency > 0) {
                    stripe.rateLimit(RATE_LIMIT);
                }
                String rate = latency == 0 ? "100000" : String.valueOf(RATE_LIMIT);
                Figures bound = measure(size, latency, "plain-loop bound", boundDb, () -> plainLoop(size), null);
                if (IN_PROCESS) {
                    run(size, latency, "1", rate, bound, true);
                }
                if (IN_PROCESS && latency > 0) {
                    run(size, latency, String.valueOf(PARALLEL_WALKERS), rate, bound, false);
                }
                rows.add(bound.row(bound));
                bounds.put(size + "/" + latency, bound);
            }
        }
        System.out.println();
        System.out.printf("%8s %7s %-26s %6s %8s %5s %8s %10s %8s %8s %9s %8s %9s%n", "products", "latency", "walk",
                "pages", "requests", "429s", "seconds", "products/s", "db stmts", "stmts/pg", "peak heap", "vs bound",
                "start-up");
        rows.forEach(System.out::println);
        System.out.printf("(latency: ms the stand-in adds per request; at 150 ms the client-side limit is %d req/s, as is"
                + " the stand-in's own (429 above it); rate-bound throughput there: %d products/s. db stmts:"
                + " pg_stat_statements calls during the sync, run bookkeeping included. peak heap: MB used, sampled"
                + " every 10 ms, JVM %s. start-up: seconds to a started service, in this JVM)%n%n", RATE_LIMIT,
                RATE_LIMIT * 100, ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Xmx")).findFirst().orElse("default -Xmx"));
        jarRuns(latencies);
        int eventsSize = Integer.getInteger("benchmark.events.size", 10_000);
        if (eventsSize > 0) {
            events(eventsSize);
        }
        stripe.stop();
    }

    /** Starts a service with this walk and syncs twice: an empty log, then nothing missing (sequential only). */
    private void run(int size, int latency, String walkers, String rate, Figures bound, boolean rerun) {
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        long starting = System.nanoTime();
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, stripe,
                "SYNC_WALK_CONCURRENCY=" + walkers, "SYNC_WALK_MAX_REQUESTS_PER_SECOND=" + rate,
                "logging.level.io.stripesync=WARN", System.getProperty("benchmark.extra", "benchmark.extra=none"))) {
            double startup = (System.nanoTime() - starting) / 1e9;
            String walk = walkers.equals("1") ? "sequential" : "parallel x" + walkers;
            rows.add(measure(size, latency, walk + ", first run", db, () -> sync(service, size), startup).row(bound));
            if (rerun) {
                rows.add(measure(size, latency, walk + ", re-run", db, () -> sync(service, 0), startup).row(bound));
            }
        }
    }

    /**
     * The service as a user runs it: {@code java @config/jvm.options -jar target/...jar} in a process of its own (the
     * flags the README gives; {@code -Dbenchmark.jar.flags="..."} to try others), triggered over HTTP, against a fresh
     * database of the test server and this JVM's stand-in. Sizes: {@code -Dbenchmark.jar.sizes} (default: the
     * largest of benchmark.sizes); at 0 ms the walker counts of {@code -Dbenchmark.jar.walkers} (default 1,4,8) with
     * the client-side limit lifted, each with a re-run; at 150 ms the default walk at its default limit (and the walker
     * counts of {@code -Dbenchmark.jar.walkers.latency}, default: none more). Skipped when
     * the jar is not built ({@code ./mvnw -B -DskipTests package}) or with {@code -Dbenchmark.jar.sizes=0}.
     */
    private void jarRuns(List<Integer> latencies) throws Exception {
        java.nio.file.Path jar = ServiceProcess.jar();
        List<Integer> sizes = ints(System.getProperty("benchmark.jar.sizes",
                String.valueOf(bounds.keySet().stream().mapToInt(k -> Integer.parseInt(k.split("/")[0])).max().orElse(0))));
        if (jar == null || sizes.equals(List.of(0))) {
            System.out.println("java -jar runs skipped: " + (jar == null ? "no jar in target/ (./mvnw -B -DskipTests package)"
                    : "-Dbenchmark.jar.sizes=0") + System.lineSeparator());
            return;
        }
        String flagsSetting = System.getProperty("benchmark.jar.flags");
        List<String> flags = flagsSetting != null
                ? Arrays.stream(flagsSetting.trim().split("\\s+")).filter(f -> !f.isEmpty() && !f.equals("none")).toList()
                : List.of("@config/jvm.options");
        List<String> jarRows = new ArrayList<>();
        for (int latency : latencies) {
            for (int size : sizes) {
                stripe.reset();
                stripe.serve(new GeneratedCatalogue(size));
                stripe.latencyMs(latency);
                Figures bound = bounds.get(size + "/" + latency);
                if (latency > 0) {
                    stripe.rateLimit(RATE_LIMIT);
                    for (String walkers : System.getProperty("benchmark.jar.walkers.latency", "default").split(",")) {
                        jarRows.addAll(jarRun(jar, flags, size, latency,
                                walkers.trim().equals("default") ? null : walkers.trim(), bound, false));
                    }
                } else {
                    for (String walkers : System.getProperty("benchmark.jar.walkers", "1,4,8").split(",")) {
                        jarRows.addAll(jarRun(jar, flags, size, latency, walkers.trim(), bound, true));
                    }
                }
            }
        }
        System.out.printf("The service as java %s -jar %s, triggered over HTTP (POST /stripe-sync-products):%n",
                String.join(" ", flags), jar.getFileName());
        System.out.printf("%8s %7s %-26s %8s %5s %8s %10s %8s %8s %8s %8s %9s %9s%n", "products", "latency", "walk",
                "requests", "429s", "seconds", "products/s", "cpu s", "walkers", "JIT", "peak RSS", "vs loop",
                "readiness");
        jarRows.forEach(System.out::println);
        System.out.println("Busiest threads (CPU s, thread names with numbers as #):");
        busiestThreads.forEach(t -> System.out.println("  " + t));
        System.out.println("Busiest statements (calls, total execution time in PostgreSQL, the statement's start):");
        busiestStatements.forEach(t -> System.out.println("  " + t));
        System.out.println("(cpu s: user+system CPU seconds of the service process during the run; walkers: CPU of the"
                + " walk's threads; JIT: CPU of the JIT compiler threads alive at the end (jcmd Thread.print); peak RSS:"
                + " the process's VmHWM since it started; vs loop: seconds / the plain loop's, same size and latency;"
                + " readiness: java -jar to /actuator/health/readiness 200, database migrated)");
        System.out.println();
    }

    private List<String> jarRun(java.nio.file.Path jar, List<String> flags, int size, int latency, String walkers,
                                Figures bound, boolean rerun) throws Exception {
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        // a database that is already migrated, as readiness is measured on one
        Map<String, String> settings = new HashMap<>();
        if (walkers != null) {
            settings.put("SYNC_WALK_CONCURRENCY", walkers);
            settings.put("SYNC_DB_POOL_SIZE", String.valueOf(Math.max(10, Integer.parseInt(walkers) + 3)));
        }
        if (latency == 0) {
            settings.put("SYNC_WALK_MAX_REQUESTS_PER_SECOND", "100000");
        }
        String url = ((org.springframework.jdbc.datasource.DriverManagerDataSource) db.getDataSource()).getUrl();
        // -Dbenchmark.jar.training-flags: this first start's flags instead, e.g. one that writes a class data archive
        String training = System.getProperty("benchmark.jar.training-flags");
        new ServiceProcess(jar, training == null ? flags : Arrays.asList(training.trim().split("\\s+")), url, stripe,
                settings).close();
        List<String> out = new ArrayList<>();
        try (ServiceProcess service = new ServiceProcess(jar, flags, url, stripe, settings)) {
            String walk = walkers == null ? "default walk" : walkers.equals("1") ? "sequential" : "parallel x" + walkers;
            out.add(jarMeasure(service, db, size, latency, walk + ", first run", size, bound));
            if (rerun) {
                out.add(jarMeasure(service, db, size, latency, walk + ", re-run", 0, bound));
            }
        }
        return out;
    }

    private String jarMeasure(ServiceProcess service, JdbcTemplate db, int size, int latency, String what,
                              int expectedSynced, Figures bound) throws Exception {
        db.execute("SELECT pg_stat_statements_reset()");
        int requestsBefore = stripe.productListRequestCount();
        int limitedBefore = stripe.rateLimitedRequests();
        Map<String, Double> threadsBefore = service.threadCpu();
        double cpuBefore = service.cpuSeconds();
        long start = System.nanoTime();
        String answer = service.trigger();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = service.cpuSeconds() - cpuBefore;
        Map<String, Double> threadsAfter = service.threadCpu();
        JsonNode json = JSON.readTree(answer);
        if (!json.path("success").asBoolean() || json.path("synced").asInt() != expectedSynced) {
            throw new IllegalStateException("unexpected sync answer: " + answer);
        }
        busiestThreads.add(String.format("%d %s: %s", size, what, ServiceProcess.busiest(threadsBefore, threadsAfter, 6)));
        busiestStatements.add(String.format("%d %s: %s", size, what, String.join("; ", db.queryForList(
                "SELECT format('%s calls %s ms: %s', calls, round(total_exec_time), left(regexp_replace("
                + "regexp_replace(query, '--[^\\n]*', '', 'g'), '\\s+', ' ', 'g'), 70)) "
                + "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                + "WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat_statements%' "
                + "ORDER BY total_exec_time DESC LIMIT 3", String.class))));
        return String.format("%8d %5dms %-26s %8d %5d %8.2f %10.0f %8.2f %8.2f %8.2f %6.0fMB %8s %8.1fs", size, latency,
                what, stripe.productListRequestCount() - requestsBefore, stripe.rateLimitedRequests() - limitedBefore,
                seconds, size / seconds, cpu, ServiceProcess.cpuOf(threadsBefore, threadsAfter, WALKER_THREADS),
                ServiceProcess.cpuOf(threadsBefore, threadsAfter, "CompilerThread"), service.peakRssMegabytes(),
                bound == null ? "" : String.format("%.2fx", seconds / bound.seconds), service.startupSeconds);
    }

    /**
     * Freshness: on a logged catalogue of {@code size} products, the catch-up after 50 changes (wall time, requests),
     * then 1,000 signed webhook deliveries of product.updated, each timed from send to answer (the answer comes once
     * the row is written): p50, p99, max.
     */
    private void events(int size) throws Exception {
        stripe.reset();
        List<String> ids = stripe.catalogue().addGenerated(size);
        String secret = "whsec_benchmark_0123456789abcdef";
        String token = "benchmark-token-0123456789abcdef";
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        try (ConfigurableApplicationContext service = ServiceOnDatabase.startWeb(db, stripe,
                "SYNC_WALK_MAX_REQUESTS_PER_SECOND=100000", "STRIPE_WEBHOOK_SECRET=" + secret, "SYNC_API_TOKEN=" + token,
                "logging.level.io.stripesync=WARN")) {
            sync(service, size);
            var producer = service.getBean(org.apache.camel.CamelContext.class).createProducerTemplate();
            producer.requestBody("direct:events-run", null, String.class); // the first catch-up starts from now
            for (int i = 0; i < 50; i++) {
                stripe.catalogue().update(ids.get(i * (size / 50)), java.util.Map.of("name", "Changed " + i));
            }
            int productRequests = stripe.productListRequestCount();
            int eventRequests = stripe.eventListRequestCount();
            long start = System.nanoTime();
            JsonNode answer = JSON.readTree(producer.requestBody("direct:events-run", null, String.class));
            double seconds = (System.nanoTime() - start) / 1e9;
            int requests = stripe.productListRequestCount() - productRequests + stripe.eventListRequestCount()
                    - eventRequests;

            String port = service.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            long[] millis = new long[1000];
            for (int i = 0; i < millis.length; i++) {
                stripe.catalogue().update(ids.get(i % size), java.util.Map.of("name", "Webhook " + i));
                String body = JSON.writeValueAsString(stripe.catalogue().events().get(0));
                long t = System.currentTimeMillis() / 1000;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stripe/webhook"))
                        .header("Stripe-Signature", "t=" + t + ",v1=" + EventsIntegrationTests.sign(secret, t, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long sent = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                millis[i] = (System.nanoTime() - sent) / 1_000_000;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
                }
            }
            Arrays.sort(millis);
            System.out.printf("Events, on a logged catalogue of %d products:%n", size);
            System.out.printf("  catch-up after 50 changes: %.3f s, %d requests (events pages + re-reads), %d events, "
                    + "%d changed%n", seconds, requests, answer.path("events").asInt(), answer.path("changed").asInt());
            System.out.printf("  webhook to row, 1000 signed product.updated deliveries one after another: p50 %d ms, "
                    + "p99 %d ms, max %d ms%n%n", millis[499], millis[989], millis[999]);
        }
    }

    private void warmUp() {
        stripe.serve(new GeneratedCatalogue(2000));
        JdbcTemplate db = ServiceOnDatabase.newDatabase("");
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(db, stripe,
                "SYNC_WALK_CONCURRENCY=1", "SYNC_WALK_MAX_REQUESTS_PER_SECOND=100000", "logging.level.io.stripesync=WARN")) {
            sync(service, 2000);
        }
        plainLoop(2000);
    }

    /** Runs {@code work} (which returns the pages it walked) and reads requests, statements and heap around it. */
    private Figures measure(int size, int latency, String what, JdbcTemplate db, Supplier<Integer> work, Double startup) {
        System.gc();
        db.execute("SELECT pg_stat_statements_reset()");
        int requestsBefore = stripe.productListRequestCount();
        int limitedBefore = stripe.rateLimitedRequests();
        HeapSampler heap = new HeapSampler();
        long start = System.nanoTime();
        int pages = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = heap.stop();
        Long statements = db.queryForObject("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s "
                + "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
                + "AND query NOT ILIKE '%pg_stat_statements%'", Long.class);
        return new Figures(size, latency, what, pages, stripe.productListRequestCount() - requestsBefore,
                stripe.rateLimitedRequests() - limitedBefore, seconds, statements, peakHeap, startup);
    }

    private int sync(ConfigurableApplicationContext service, int expectedSynced) {
        String answer = ServiceOnDatabase.sync(service);
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
    private int plainLoop(int size) {
        HttpClient http = HttpClient.newHttpClient();
        String startingAfter = null;
        int pages = 0;
        try (Connection connection = boundDb.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            boolean hasMore = true;
            while (hasMore) {
                URI uri = URI.create(stripe.baseUrl() + "/v1/products?limit=100"
                        + (startingAfter == null ? "" : "&starting_after=" + startingAfter));
                // gzip, as the service's HTTP client asks for it (and Stripe answers so): the same bytes on the wire
                HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + StripeStandIn.API_KEY)
                        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofInputStream());
                boolean gzipped = response.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
                JsonNode page;
                try (java.io.InputStream body = gzipped ? new java.util.zip.GZIPInputStream(response.body())
                        : response.body()) {
                    page = JSON.readTree(body);
                }
                if (response.statusCode() == 429) {
                    Thread.sleep(1000); // the bound has no rate limiter of its own: it backs off and asks again
                    continue;
                }
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
            try (var truncate = connection.createStatement()) {
                truncate.execute("TRUNCATE stripe_products_log");
            }
            connection.commit();
        } catch (Exception e) {
            throw new IllegalStateException("plain loop failed", e);
        }
        return pages;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private record Figures(int size, int latency, String what, int pages, int requests, int rateLimited,
                           double seconds, long statements, long peakHeapBytes, Double startup) {

        String row(Figures bound) {
            return String.format("%8d %5dms %-26s %6d %8d %5d %8.2f %10.0f %8d %8.1f %7.0fMB %7.2fx %9s", size, latency,
                    what, pages, requests, rateLimited, seconds, size / seconds, statements,
                    pages == 0 ? 0.0 : (double) statements / pages, peakHeapBytes / 1048576.0,
                    seconds / bound.seconds, startup == null ? "" : String.format("%.1fs", startup));
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
