package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** With SYNC_ROUTES_RELOAD=true, an edited route file takes effect on the running service. */
class RouteReloadIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void editedRouteFileIsReloadedWithoutARestart() throws Exception {
        Path routes = Files.createTempDirectory("routes");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path rule = routes.resolve("probe.camel.yaml");
        Files.writeString(rule, probeRoute("first"));

        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(ServiceOnDatabase.newDatabase(""),
                STRIPE, "SYNC_ROUTES_DIR=" + routes, "SYNC_ROUTES_RELOAD=true")) {
            CamelContext camel = service.getBean(CamelContext.class);
            assertThat(camel.createProducerTemplate().requestBody("direct:probe", "", String.class)).isEqualTo("first");

            // as an editor saves: write aside, then move into place in one step
            Path edited = Files.writeString(routes.resolve("probe.edit"), probeRoute("second"));
            Files.move(edited, rule, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    camel.createProducerTemplate().requestBody("direct:probe", "", String.class)).isEqualTo("second"));
            assertThat(camel.getRoute("sync-run")).isNotNull();
        }
    }

    private static String probeRoute(String answer) {
        return """
                - route:
                    id: probe
                    from:
                      uri: direct:probe
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(answer);
    }
}
