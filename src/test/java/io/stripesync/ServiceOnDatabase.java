package io.stripesync;

import io.stripesync.standin.StripeStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * For tests that need a whole service of their own: settings of their own, a database of their own (an existing
 * schema to adopt, an outage, several instances), or a service to stop. A fresh database on the test server, or the
 * test database itself, and the service started on it without a web server.
 */
final class ServiceOnDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private ServiceOnDatabase() {
    }

    /** A new, empty UTF-8 database on the test server, prepared with {@code ddl} (may be empty). */
    static JdbcTemplate newDatabase(String ddl) {
        String name = "service_db_" + DATABASES.incrementAndGet();
        new JdbcTemplate(new DriverManagerDataSource(TestDatabase.jdbcUrl()))
                .execute("CREATE DATABASE " + name + " ENCODING 'UTF8'");
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(TestDatabase.server().getJdbcUrl("postgres", name)));
        if (!ddl.isBlank()) {
            db.execute(ddl);
        }
        return db;
    }

    static String databaseName(JdbcTemplate db) {
        String url = ((DriverManagerDataSource) db.getDataSource()).getUrl();
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?') > 0 ? url.indexOf('?') : url.length());
    }

    /**
     * Starts the service on {@code db} against {@code stripe}, HTTP trigger and schedule off, one walker, unless {@code settings}
     * (given as environment variables would be: {@code NAME=value}) say otherwise.
     */
    static ConfigurableApplicationContext start(JdbcTemplate db, StripeStandIn stripe, String... settings) {
        return start(((DriverManagerDataSource) db.getDataSource()).getUrl(), stripe, settings);
    }

    /** With its HTTP endpoints on a free port (read local.server.port), e.g. for webhooks. */
    static ConfigurableApplicationContext startWeb(JdbcTemplate db, StripeStandIn stripe, String... settings) {
        List<String> all = new ArrayList<>(List.of(settings));
        // SERVER_PORT, not server.port: config/application.yaml sets server.port from ${SERVER_PORT:8080}, which wins
        // over these default properties (server.port=0 here served on 8080)
        all.addAll(List.of("SYNC_HTTP_ENABLED=true", "SERVER_PORT=0"));
        return start(db, stripe, all.toArray(String[]::new));
    }

    /**
     * Starts the service as {@link #start(JdbcTemplate, StripeStandIn, String...)} does, on the test server's own
     * database: the one the shared context of {@link SyncTestSupport} uses, which its tests empty before each test.
     */
    static ConfigurableApplicationContext startOnTestDatabase(StripeStandIn stripe, String... settings) {
        return start(TestDatabase.jdbcUrl(), stripe, settings);
    }

    private static ConfigurableApplicationContext start(String jdbcUrl, StripeStandIn stripe, String... settings) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + jdbcUrl,
                "spring.datasource.username=postgres",
                "STRIPE_API_BASE_URL=" + stripe.baseUrl(), "STRIPE_SECRET_KEY=" + StripeStandIn.API_KEY,
                "SYNC_HTTP_ENABLED=false", "SYNC_SCHEDULE_ENABLED=false",
                // the sequential walk, whose requests tests can count exactly, unless a test asks for more walkers
                "SYNC_WALK_CONCURRENCY=1", "SYNC_WALK_MAX_REQUESTS_PER_SECOND=1000"));
        properties.addAll(List.of(settings));
        // default properties feed config/application.yaml's ${NAME:default}, as the environment would
        boolean web = properties.contains("SYNC_HTTP_ENABLED=true");
        return new SpringApplicationBuilder(StripeSyncApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    /** GET {@code path} from a service started with {@link #startWeb} on {@code port}, with the token when given. */
    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs one sync through the sync route, as a trigger would, and returns its JSON answer. */
    static String sync(ConfigurableApplicationContext service) {
        return service.getBean(CamelContext.class).createProducerTemplate()
                .requestBody("direct:sync-run", null, String.class);
    }
}
