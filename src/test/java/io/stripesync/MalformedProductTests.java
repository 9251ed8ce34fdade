package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stripesync.standin.StripeCatalogue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MalformedProductTests extends SyncTestSupport {

    @Test
    void productsThatCannotBeLoggedAreSetAsideAndTheRunFailsWithTheRestLogged() throws Exception {
        List<String> good = STRIPE.catalogue().addGenerated(150);
        long created = 1_700_000_000L;
        Map<String, Object> metadataNotObject = StripeCatalogue.product("prod_BadMetadata01", "Bad metadata", created);
        metadataNotObject.put("metadata", "project=omnia");
        Map<String, Object> createdNotNumber = StripeCatalogue.product("prod_BadCreated001", "Bad created", created);
        createdNotNumber.put("created", "yesterday");
        STRIPE.catalogue().add(metadataNotObject);
        STRIPE.catalogue().add(createdNotNumber);

        HttpResponse<String> response = triggerSync();

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("failed").asInt()).isEqualTo(2);
        assertThat(answer.get("synced").asInt()).isEqualTo(150);
        assertThat(answer.get("error").asText()).contains("stripe_sync_failures");
        assertThat(jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class))
                .containsExactlyInAnyOrderElementsOf(good);
        assertThat(lastRun()).containsEntry("status", "failed").containsEntry("failed", 2).containsEntry("synced", 150);
        List<Map<String, Object>> failures = jdbc.queryForList(
                "SELECT stripe_product_id, reason, raw FROM stripe_sync_failures WHERE run_id = ? ORDER BY stripe_product_id",
                answer.get("runId").asLong());
        assertThat(failures).extracting(f -> f.get("stripe_product_id"))
                .containsExactly("prod_BadCreated001", "prod_BadMetadata01");
        assertThat(failures).extracting(f -> (String) f.get("reason"))
                .anyMatch(r -> r.contains("metadata")).anyMatch(r -> r.contains("created"));
        assertThat((String) failures.get(1).get("raw")).contains("\"metadata\":\"project=omnia\"");

        // fixed in Stripe: the next run logs them and succeeds
        metadataNotObject.put("metadata", Map.of("project", "omnia"));
        createdNotNumber.put("created", created);
        JsonNode next = JSON.readTree(triggerSync().body());
        assertThat(next.get("success").asBoolean()).isTrue();
        assertThat(next.get("synced").asInt()).isEqualTo(2);
        assertThat(loggedCount()).isEqualTo(152);
    }

    @Test
    void aNulInTextIsStoredAsAReplacementCharacterWithAWarningAndTheRunSucceeds() throws Exception {
        STRIPE.catalogue().addGenerated(3);
        Map<String, Object> nul = StripeCatalogue.product("prod_NulInName0001", "Nul\u0000name", 1_700_000_000L);
        nul.put("metadata", Map.of("note", "a\u0000b"));
        STRIPE.catalogue().add(nul);

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("synced").asInt()).isEqualTo(4);
        assertThat(answer.get("failed").asInt()).isZero();
        assertThat(answer.get("altered").asInt()).isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT name, metadata->>'note' AS note FROM stripe_products_log WHERE stripe_product_id = 'prod_NulInName0001'");
        assertThat(row).containsEntry("name", "Nul\uFFFDname").containsEntry("note", "a\uFFFDb");
        Map<String, Object> warning = jdbc.queryForMap("SELECT severity, reason, raw FROM stripe_sync_failures");
        assertThat(warning).containsEntry("severity", "warning");
        assertThat((String) warning.get("reason")).contains("U+FFFD");
        assertThat((String) warning.get("raw")).contains("Nul\\u0000name");
        assertThat(lastRun()).containsEntry("status", "succeeded").containsEntry("altered", 1).containsEntry("failed", 0);

        // the next run sees nothing new: no second warning, no change row
        JsonNode next = JSON.readTree(triggerSync().body());
        assertThat(next.get("altered").asInt()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_product_changes", Integer.class)).isZero();
    }

    @Test
    void aProductIdWithANewlineCannotForgeALogLine() throws Exception {
        try (LogLines lines = new LogLines()) {
            Map<String, Object> forged = StripeCatalogue.product("prod_X\n2026-01-01 ERROR forged", "Forged",
                    1_700_000_000L);
            forged.put("created", "not a number"); // set aside: its id reaches a log line
            STRIPE.catalogue().add(forged);

            triggerSync();

            assertThat(lines.messages()).anyMatch(m -> m.contains("prod_X\\n2026-01-01 ERROR forged"))
                    .allMatch(m -> !m.contains("\n"));
        }
    }

    @Test
    void aRetriedPageCountsItsSetAsideProductsOnce() throws Exception {
        STRIPE.catalogue().addGenerated(5);
        STRIPE.catalogue().add(StripeCatalogue.unreadable("prod_BadMetadata02", "Bad metadata", 1_700_000_000L));
        // the page's statement meets a serialization failure once (a sequence survives the rollback)
        jdbc.execute("CREATE SEQUENCE fail_once_seq");
        jdbc.execute("CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF nextval('fail_once_seq') = 1 THEN RAISE EXCEPTION 'injected' USING ERRCODE = '40001'; END IF; "
                + "RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER fail_once BEFORE INSERT ON stripe_products_log FOR EACH ROW EXECUTE FUNCTION fail_once()");
        try {
            JsonNode answer = JSON.readTree(triggerSync().body());

            assertThat(answer.get("failed").asInt()).isEqualTo(1);
            assertThat(answer.get("synced").asInt()).isEqualTo(5);
            assertThat(answer.get("skipped").asInt()).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_failures", Integer.class)).isEqualTo(1);
            assertThat(lastRun()).containsEntry("failed", 1).containsEntry("synced", 5);
        } finally {
            jdbc.execute("DROP TRIGGER fail_once ON stripe_products_log");
            jdbc.execute("DROP FUNCTION fail_once()");
            jdbc.execute("DROP SEQUENCE fail_once_seq");
        }
    }

    @Test
    void productIdsThatNeedEncodingStillPage() throws Exception {
        // Stripe accepts custom product ids; the cursor must survive the query string
        for (int i = 0; i < 150; i++) {
            STRIPE.catalogue().add(StripeCatalogue.product(String.format("sku-%03d+x&y", i), "Custom id " + i,
                    1_600_000_000L + i));
        }

        JsonNode answer = JSON.readTree(triggerSync().body());

        assertThat(answer.get("synced").asInt()).isEqualTo(150);
        assertThat(loggedCount()).isEqualTo(150);
    }
}
