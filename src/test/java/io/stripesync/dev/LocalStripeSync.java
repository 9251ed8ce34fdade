package io.stripesync.dev;

import io.stripesync.StripeSyncApplication;
import io.stripesync.standin.SampleProducts;
import io.stripesync.standin.StripeStandIn;
import io.stripesync.run.RunLifecycle;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * README command 1 ({@code ./mvnw spring-boot:test-run}): the real service on a machine with nothing but a JDK.
 * It starts an embedded PostgreSQL and, unless STRIPE_SECRET_KEY is set, a local Stripe stand-in with sample
 * products; then the service, one sync at start-up, and the HTTP trigger for more. Test scope: never in the jar.
 */
public final class LocalStripeSync {

    static final String DEMO_TOKEN = "local-demo-token-not-for-production";

    private static final Logger log = LoggerFactory.getLogger(LocalStripeSync.class);

    private LocalStripeSync() {
    }

    public static void main(String[] args) throws Exception {
        int dbPort = Integer.parseInt(env("LOCAL_DB_PORT", "54329"));
        EmbeddedPostgres database = EmbeddedPostgres.builder().setPort(dbPort).start();
        System.setProperty("spring.datasource.url", database.getJdbcUrl("postgres", "postgres"));
        System.setProperty("spring.datasource.username", "postgres");

        boolean standIn = env("STRIPE_SECRET_KEY", "").isBlank();
        StripeStandIn stripe = null;
        if (standIn) {
            stripe = StripeStandIn.start(0);
            SampleProducts.fill(stripe.catalogue(), Integer.parseInt(env("LOCAL_SAMPLE_PRODUCTS", "300")));
            System.setProperty("stripe.api-base-url", stripe.baseUrl());
            System.setProperty("stripe.secret-key", StripeStandIn.API_KEY);
        }
        String token = env("SYNC_API_TOKEN", DEMO_TOKEN);
        System.setProperty("sync.api-token", token);

        ConfigurableApplicationContext context = SpringApplication.run(StripeSyncApplication.class, args);
        ProducerTemplate producer = context.getBean(CamelContext.class).createProducerTemplate();
        String answer = producer.send("direct:sync-run", exchange -> exchange.setProperty(RunLifecycle.TRIGGER, "startup"))
                .getMessage().getBody(String.class);

        String catchUp = "(not shown with a real Stripe account: make a change in the dashboard, then POST /stripe-sync-products/events)";
        if (standIn) {
            // the events catch-up: its first run starts from now; then a change in the stand-in, and the catch-up sees it
            producer.send("direct:events-run", exchange -> exchange.setProperty(RunLifecycle.TRIGGER, "startup"));
            stripe.catalogue().create("prod_LocalDemoNew", "Created after the start-up sync");
            stripe.catalogue().update((String) stripe.catalogue().all().get(1).get("id"), java.util.Map.of("name", "Renamed after the start-up sync"));
            catchUp = producer.send("direct:events-run", exchange -> exchange.setProperty(RunLifecycle.TRIGGER, "startup"))
                    .getMessage().getBody(String.class);
        }

        String port = context.getEnvironment().getProperty("local.server.port", "8080");
        log.info("""

                ==== stripe-sync-products is running locally ====
                Stripe:    {}
                Database:  embedded PostgreSQL, {}
                Start-up sync: {}
                Catch-up after a product was created and one renamed in the stand-in: {}
                Status page:   http://localhost:{}/ (give it the token above)
                Catch up now:  curl -s -X POST http://localhost:{}/stripe-sync-products/events -H 'Authorization: Bearer {}'
                Sync again:    curl -s -X POST http://localhost:{}/stripe-sync-products -H 'Authorization: Bearer {}'
                Look at rows:  psql postgresql://postgres@localhost:{}/postgres -c 'SELECT name, stripe_product_id, project, created_at FROM stripe_products_log ORDER BY created_at DESC LIMIT 20'
                Stop with Ctrl+C (the embedded database goes with it).
                """, standIn ? "local stand-in with sample products (no STRIPE_SECRET_KEY set)"
                        : "the account of STRIPE_SECRET_KEY", database.getJdbcUrl("postgres", "postgres"), answer, catchUp,
                port, port, token.equals(DEMO_TOKEN) ? DEMO_TOKEN : "$SYNC_API_TOKEN", port,
                token.equals(DEMO_TOKEN) ? DEMO_TOKEN : "$SYNC_API_TOKEN", dbPort);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
