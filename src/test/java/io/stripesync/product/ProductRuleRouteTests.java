package io.stripesync.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.TestJson;
import io.stripesync.YamlRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/product-rules.camel.yaml, the file teams edit: the rule route ({@code sync-product-rule}) on its own, fed
 * products as the sync's page split hands them over (Stripe's JSON as maps). What a team checks after an edit: which
 * products the rule lets into the log.
 */
class ProductRuleRouteTests {

    private static final Path RULES = YamlRoutes.ROUTES.resolve("product-rules.camel.yaml");
    private static final String SHIPPED_RULE = "simple: \"true\"";

    private static final Map<String, Object> OMNIA = product("prod_Omnia", "Starter plan", Map.of("project", "omnia"));
    private static final Map<String, Object> ATLAS_TEST =
            product("prod_AtlasTest", "Pro plan [TEST]", Map.of("project", "atlas"));
    private static final Map<String, Object> HELIOS = product("prod_Helios", "Team seat", Map.of("project", "helios"));
    private static final Map<String, Object> NO_PROJECT = product("prod_NoProject", "Support hours", Map.of());

    @TempDir
    Path teamsRoutes;

    @Test
    void theShippedRuleLetsEveryProductThrough() throws Exception {
        assertThat(Files.readString(RULES)).contains(SHIPPED_RULE);

        assertThat(loggedBy(RULES)).containsExactly("prod_Omnia", "prod_AtlasTest", "prod_Helios", "prod_NoProject");
    }

    @Test
    void aRuleOnTheProjectLogsOnlyThoseProjects() throws Exception {
        Path edited = edit("${body[metadata][project]} in 'omnia,atlas'");

        assertThat(loggedBy(edited)).containsExactly("prod_Omnia", "prod_AtlasTest");
    }

    @Test
    void aRuleOnTheNameLeavesOutTestProducts() throws Exception {
        Path edited = edit("${body[name]} !contains '[TEST]'");

        assertThat(loggedBy(edited)).containsExactly("prod_Omnia", "prod_Helios", "prod_NoProject");
    }

    @Test
    void bothDocumentedRulesTogetherMustAllHold() throws Exception {
        Path edited = edit("${body[metadata][project]} in 'omnia,atlas' && ${body[name]} !contains '[TEST]'");

        assertThat(loggedBy(edited)).containsExactly("prod_Omnia");
    }

    /** A team's copy of the rule file with the rule replaced, as the file's comments say to edit it. */
    private Path edit(String predicate) throws Exception {
        String shipped = Files.readString(RULES);
        assertThat(shipped).contains(SHIPPED_RULE);
        return Files.writeString(teamsRoutes.resolve(RULES.getFileName()),
                shipped.replace(SHIPPED_RULE, "simple: \"" + predicate + "\""));
    }

    /** The ids of the products the rule in {@code file} lets through, in the order they were sent. */
    private static List<String> loggedBy(Path file) throws Exception {
        try (DefaultCamelContext camel = YamlRoutes.load(Map.of(), Map.of(), List.of(file), "sync-product-rule")) {
            AdviceWith.adviceWith(camel, "sync-product-rule", route -> route.weaveAddLast().to("mock:decided"));
            camel.start();
            MockEndpoint decided = camel.getEndpoint("mock:decided", MockEndpoint.class);
            decided.expectedMessageCount(4);

            for (Map<String, Object> product : List.of(OMNIA, ATLAS_TEST, HELIOS, NO_PROJECT)) {
                send(camel, product);
            }

            decided.assertIsSatisfied();
            return decided.getReceivedExchanges().stream()
                    .filter(exchange -> exchange.getProperty("stripeProductWanted", Boolean.class))
                    .map(exchange -> (String) exchange.getMessage().getBody(Map.class).get("id")).toList();
        }
    }

    private static void send(CamelContext camel, Map<String, Object> product) {
        Exchange sent = camel.createProducerTemplate().send("direct:sync-product-rule", exchange -> {
            exchange.getMessage().setBody(new LinkedHashMap<>(product));
            // as in sync-log-page: the filter settings let it through, the rule decides
            exchange.setProperty("stripeProductWanted", true);
        });
        assertThat(sent.getException()).isNull();
    }

    private static Map<String, Object> product(String id, String name, Map<String, String> metadata) {
        Map<String, Object> product = TestJson.fixture("/stripe/product.json");
        product.put("id", id);
        product.put("name", name);
        product.put("metadata", metadata);
        return product;
    }
}
