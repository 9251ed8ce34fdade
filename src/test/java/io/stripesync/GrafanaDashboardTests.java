package io.stripesync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/grafana: the dashboard imports as is (its data source a variable), and every PromQL expression in it and in
 * the alert rule names a series the service really exposes, read from /actuator/prometheus after a run that made
 * every meter appear (counters exist only once incremented).
 */
class GrafanaDashboardTests extends SyncTestSupport {

    private static final Path DASHBOARD = Path.of("docs/grafana/stripe-sync-products.json");
    private static final Path ALERT = Path.of("docs/grafana/alert-no-successful-run.yaml");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    @Test
    void everyQueryOfTheDashboardAndTheAlertNamesASeriesTheServiceExposes() throws Exception {
        Set<String> exposed = seriesAfterEveryKindOfRun();
        Set<String> used = new TreeSet<>();
        expressions(JSON.readTree(DASHBOARD.toFile())).forEach(expr -> used.addAll(metricNames(expr)));
        alertExpressions().forEach(expr -> used.addAll(metricNames(expr)));

        assertThat(exposed).as("series on /actuator/prometheus").containsAll(used);
        // what the dashboard is for: runs, duration, products, Stripe's latency and statuses, retries, the last
        // success, events lag and webhook failures
        assertThat(used).contains("stripe_sync_runs_total", "stripe_sync_run_duration_seconds_sum",
                "stripe_sync_run_duration_seconds_count", "stripe_sync_products_total",
                "stripe_api_requests_seconds_bucket", "stripe_api_requests_seconds_count", "stripe_sync_retries_total",
                "stripe_sync_last_success_timestamp_seconds", "stripe_sync_event_lag_seconds_bucket",
                "stripe_sync_webhook_signature_failures_total", "stripe_sync_events_cursor_age_seconds");
    }

    @Test
    void theDashboardImportsAsIsWithItsDataSourceAVariable() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

        assertThat(dashboard.get("uid").asText()).isEqualTo("stripe-sync-products");
        assertThat(dashboard.has("__inputs")).as("nothing to map by hand on import").isFalse();
        JsonNode source = null;
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("name").asText().equals("DS_PROMETHEUS")) {
                source = variable;
            }
        }
        assertThat(source).isNotNull();
        assertThat(source.get("type").asText()).isEqualTo("datasource");
        assertThat(source.get("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.get("datasource").get("uid").asText()).as(panel.get("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
            }
        }
    }

    @Test
    void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrVariables() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(stripe_api_requests_seconds_bucket"
                + "{instance=~\"$instance\", status=\"429\"}[$__rate_interval])))"))
                .containsExactly("stripe_api_requests_seconds_bucket");
        assertThat(metricNames("sum by (outcome) (rate(a_sum[5m])) / sum without (le) (rate(b_count{x=\"y z\"}[5m]))"
                + " or vector(0)")).containsExactlyInAnyOrder("a_sum", "b_count");
        assertThat(metricNames("time() - max(stripe_sync_last_success_timestamp_seconds > 0)"))
                .containsExactly("stripe_sync_last_success_timestamp_seconds");
        assertThat(metricNames("label_values(stripe_sync_runs_total, instance)")).containsExactly("stripe_sync_runs_total");
    }

    /** Every series name on /actuator/prometheus after a walk with a retry, a catch-up that applied an event, a bad webhook. */
    private Set<String> seriesAfterEveryKindOfRun() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        STRIPE.failNextProductRequests(1, aResponse().withStatus(429)
                .withBody(StripeStandIn.errorBody("invalid_request_error", "rate_limit", "x")));
        triggerSync();
        post("/stripe-sync-products/events", API_TOKEN); // the cursor starts now
        STRIPE.catalogue().create("prod_GrafanaEvent01", "Created for an event");
        post("/stripe-sync-products/events", API_TOKEN);
        send("POST", "/stripe/webhook", null, "Stripe-Signature", "t=1,v1=00");

        String scrape = get("/actuator/prometheus", READ_TOKEN).body();
        return scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> IDENTIFIER.matcher(line).results().findFirst().orElseThrow().group())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The PromQL of every panel's targets and of the templating queries. */
    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("type").asText().equals("query")) {
                expressions.add(variable.get("query").get("query").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(10);
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        try (InputStream in = Files.newInputStream(ALERT)) {
            Map<String, Object> file = new Yaml().load(in);
            List<String> expressions = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    for (Map<String, Object> query : (List<Map<String, Object>>) rule.get("data")) {
                        Object expr = ((Map<String, Object>) query.get("model")).get("expr");
                        if (expr != null) {
                            expressions.add((String) expr);
                        }
                    }
                }
            }
            assertThat(expressions).hasSize(1);
            return expressions;
        }
    }

    /**
     * The metric names in a PromQL expression: what is left once strings, label matchers, ranges, grouping labels
     * and Grafana variables are taken out, less functions (a name followed by a parenthesis) and keywords.
     */
    static Set<String> metricNames(String expr) {
        Matcher labelValues = Pattern.compile("^label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,").matcher(expr);
        if (labelValues.find()) {
            return Set.of(labelValues.group(1));
        }
        String left = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(left);
        while (identifier.find()) {
            String name = identifier.group(1);
            if (!KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}
