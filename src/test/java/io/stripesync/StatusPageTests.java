package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The status page without a browser: its files answer anyone and carry no data, its endpoints answer only a token,
 * and what they answer is what the database holds. The page in a browser: {@link StatusPageBrowserTests}.
 */
class StatusPageTests extends SyncTestSupport {

    private static final List<String> ENDPOINTS = List.of("/stripe-sync-products/overview",
            "/stripe-sync-products/timeline", "/stripe-sync-products/logged-per-day", "/stripe-sync-products/changes",
            "/stripe-sync-products/stats", "/stripe-sync-products/runs", "/stripe-sync-products/runs/1",
            "/stripe-sync-products/drift?since=2025-01-01");

    @Test
    void thePageAndItsFilesAnswerAnyoneAndCarryNoData() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(5);
        renamed(ids.get(0), "Secret launch plan");
        triggerSync();
        List<String> names = jdbc.queryForList("SELECT name FROM stripe_products_log", String.class);
        assertThat(names).contains("Secret launch plan");

        for (String path : new String[] {"/", "/status"}) {
            HttpResponse<String> page = get(path, null);

            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("<title>Stripe product sync");
            for (String id : ids) {
                assertThat(page.body()).as(path).doesNotContain(id);
            }
            for (String name : names) {
                assertThat(page.body()).as(path).doesNotContain(name);
            }
            // nothing inline: every script and style is a file of its own, as the policy demands
            assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style")
                    .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe");
        }

        // every file the page names answers without a token, with its type (nosniff takes the type at its word)
        Matcher files = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(get("/", null).body());
        int count = 0;
        while (files.find()) {
            String file = files.group(1);
            HttpResponse<String> answer = get(file, null);
            assertThat(answer.statusCode()).as(file).isEqualTo(200);
            String type = answer.headers().firstValue("Content-Type").orElse("");
            String expected = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css"
                    : "image/svg+xml";
            assertThat(type).as(file).startsWith(expected);
            // kept by the browser, but asked again each visit: unchanged, it is a 304 without the file
            assertThat(answer.headers().firstValue("Cache-Control")).as(file).hasValue("no-cache");
            String lastModified = answer.headers().firstValue("Last-Modified").orElseThrow();
            assertThat(send("GET", file, null, "If-Modified-Since", lastModified).statusCode()).as(file)
                    .isEqualTo(304);
            count++;
        }
        assertThat(count).as("uPlot's script and style, the page's script, style and icon").isEqualTo(5);
        // what carries data is never kept
        assertThat(get("/stripe-sync-products/runs", API_TOKEN).headers().firstValue("Cache-Control"))
                .hasValue("no-store");
    }

    @Test
    void theEndpointsThePageReadsNeedAToken() throws Exception {
        STRIPE.catalogue().addGenerated(2);
        triggerSync();

        for (String path : ENDPOINTS) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "wrong-token-0123456789").statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> read = get(path, READ_TOKEN);
            assertThat(read.statusCode()).as(path).isEqualTo(200);
            assertThat(read.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
        }
        // only the page's files are open: reading them never opens anything else
        assertThat(send("POST", "/", null).statusCode()).isEqualTo(401);
        assertThat(get("/status/../stripe-sync-products/runs", null).statusCode()).isEqualTo(401);
        assertThat(get("/webjars/../stripe-sync-products/stats", null).statusCode()).isEqualTo(401);
        assertThat(get("/status/%2e%2e/stripe-sync-products/stats", null).statusCode()).isIn(400, 401, 404);
        assertThat(get("/status/nothing-here.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void overviewTellsTheLastWalkCatchUpFailedRunFreshnessAndWindows() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        STRIPE.catalogue().add(StripeCatalogue.unreadable("prod_BadOverview01", "Bad", 1_700_000_000L));
        long failedRun = JSON.readTree(triggerSync().body()).get("runId").asLong();
        STRIPE.catalogue().remove("prod_BadOverview01");
        long walk = JSON.readTree(triggerSync().body()).get("runId").asLong();
        long catchUp = JSON.readTree(post("/stripe-sync-products/events", API_TOKEN).body()).get("runId").asLong();

        JsonNode overview = JSON.readTree(get("/stripe-sync-products/overview", READ_TOKEN).body());

        assertThat(overview.get("last_walk").get("id").asLong()).isEqualTo(walk);
        assertThat(overview.get("last_walk").get("status").asText()).isEqualTo("succeeded");
        assertThat(overview.get("last_walk").get("scanned").asInt()).isEqualTo(3);
        assertThat(overview.get("last_walk").get("duration_ms").asLong()).isNotNegative();
        assertThat(overview.get("last_catch_up").get("id").asLong()).isEqualTo(catchUp);
        assertThat(overview.get("last_failed_run").get("id").asLong()).isEqualTo(failedRun);
        assertThat(overview.get("last_failed_run").get("failed").asInt()).isEqualTo(1);
        // the health check's verdict and thresholds, as /actuator/health gives them
        assertThat(overview.get("freshness").get("status").asText()).isEqualTo("UP");
        assertThat(overview.get("freshness").get("details").get("maxAge").asText()).isEqualTo("PT26H");
        assertThat(overview.get("windows").get("run_days").asInt()).isEqualTo(30);
        assertThat(overview.get("windows").get("logged_days").asInt()).isEqualTo(90);
        assertThat(overview.get("windows").get("recent_changes").asInt()).isEqualTo(50);
        // the next fire time as the Quartz cluster holds it (other tests on this database may have left one)
        List<Map<String, Object>> nextFire = jdbc.queryForList("SELECT t.next_fire_time, c.cron_expression "
                + "FROM qrtz_triggers t JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group) "
                + "WHERE t.trigger_name = 'scheduled-sync' AND t.next_fire_time > 0");
        if (nextFire.isEmpty()) {
            assertThat(overview.get("next_walk").isNull()).isTrue();
        } else {
            JsonNode next = overview.get("next_walk");
            assertThat(java.time.OffsetDateTime.parse(next.get("next_fire_time").asText()).toInstant().toEpochMilli())
                    .isEqualTo(nextFire.get(0).get("next_fire_time"));
            assertThat(next.get("cron_expression").asText()).isEqualTo(nextFire.get(0).get("cron_expression"));
        }
        assertThat(overview.get("now").asText()).isNotBlank();
    }

    @Test
    void timelineListsTheWalksOfTheLastDaysOldestFirst() throws Exception {
        jdbc.update("INSERT INTO stripe_sync_runs (trigger, status, started_at, finished_at, synced) "
                + "VALUES ('schedule', 'succeeded', now() - interval '40 days', now() - interval '40 days', 7), "
                + "('schedule', 'interrupted', now() - interval '3 days', now() - interval '3 days' + interval '2 seconds', 1)");
        STRIPE.catalogue().addGenerated(2);
        triggerSync();
        post("/stripe-sync-products/events", API_TOKEN);

        JsonNode runs = JSON.readTree(get("/stripe-sync-products/timeline", READ_TOKEN).body());

        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("interrupted");
        assertThat(runs.get(0).get("duration_ms").asLong()).isEqualTo(2000);
        assertThat(runs.get(1).get("trigger").asText()).isEqualTo("http");
        assertThat(runs.get(1).get("synced").asInt()).isEqualTo(2);
    }

    @Test
    void loggedPerDayCountsEveryDayOfTheWindowZerosIncluded() throws Exception {
        STRIPE.catalogue().addGenerated(6);
        triggerSync();
        jdbc.update("UPDATE stripe_products_log SET logged_at = now() - interval '2 days' WHERE id <= 2");
        jdbc.update("UPDATE stripe_products_log SET logged_at = now() - interval '200 days' WHERE id = 3");

        JsonNode days = JSON.readTree(get("/stripe-sync-products/logged-per-day", READ_TOKEN).body());

        assertThat(days).hasSize(90);
        LocalDate today = jdbc.queryForObject("SELECT CAST(now() AT TIME ZONE 'UTC' AS date)", LocalDate.class);
        assertThat(days.get(89).get("day").asText()).isEqualTo(today.toString());
        assertThat(days.get(0).get("day").asText()).isEqualTo(today.minusDays(89).toString());
        int total = 0;
        for (JsonNode day : days) {
            total += day.get("logged").asInt();
        }
        assertThat(total).isEqualTo(jdbc.queryForObject("SELECT count(*) FROM stripe_products_log "
                + "WHERE logged_at >= CAST(now() AT TIME ZONE 'UTC' AS date) - 89", Integer.class)).isEqualTo(5);
        assertThat(days.get(89).get("logged").asInt()).isEqualTo(3);
        assertThat(days.get(87).get("logged").asInt()).isEqualTo(2);
        assertThat(today).isAfterOrEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(1));
    }

    @Test
    void changesListTheNewestRowsWithTheProductName() throws Exception {
        List<String> ids = STRIPE.catalogue().addGenerated(3);
        triggerSync();
        renamed(ids.get(1), "Second name");
        triggerSync();
        renamed(ids.get(1), "Third name");
        triggerSync();

        JsonNode changes = JSON.readTree(get("/stripe-sync-products/changes", READ_TOKEN).body());

        assertThat(changes).hasSize(2);
        JsonNode newest = changes.get(0);
        assertThat(newest.get("product_id").asText()).isEqualTo(ids.get(1));
        assertThat(newest.get("product_name").asText()).isEqualTo("Third name");
        assertThat(newest.get("field").asText()).isEqualTo("name");
        assertThat(newest.get("old_value").asText()).isEqualTo("Second name");
        assertThat(newest.get("new_value").asText()).isEqualTo("Third name");
        assertThat(newest.get("source").asText()).isEqualTo("backfill");
        assertThat(newest.get("run_id").asLong()).isEqualTo(3);
        assertThat(changes.get(1).get("new_value").asText()).isEqualTo("Second name");
    }

    private static void renamed(String id, String name) {
        STRIPE.catalogue().update(id, Map.of("name", name));
    }
}
