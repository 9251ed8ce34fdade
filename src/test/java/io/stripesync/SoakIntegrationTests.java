package io.stripesync;

import static io.stripesync.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fifty consecutive runs against a stand-in that injects random faults into 40% of its answers (so that some runs fail through every retry), with products
 * added between runs. Every run's record must match its answer; at the end the log must equal the catalogue:
 * no duplicate, no gap. Prints its figures.
 */
class SoakIntegrationTests extends SyncTestSupport {

    private static final int RUNS = 50;

    @Test
    void fiftyRunsWithRandomFaultsEndWithTheLogEqualToTheCatalogue() throws Exception {
        Random random = new Random(42);
        STRIPE.catalogue().addGenerated(300);
        STRIPE.injectRandomFaults(0.4, 42);
        int succeeded = 0;
        int failed = 0;
        for (int run = 1; run <= RUNS; run++) {
            JsonNode answer = JSON.readTree(triggerSync().body());
            Map<String, Object> record = lastRun();
            assertThat(record.get("id")).isEqualTo(answer.get("runId").asLong());
            if (answer.get("success").asBoolean()) {
                succeeded++;
                assertThat(record).as("run " + run).containsEntry("status", "succeeded");
            } else {
                failed++;
                assertThat(record).as("run " + run).containsEntry("status", "failed");
                assertThat(answer.get("error").asText()).isNotBlank();
            }
            assertThat(record.get("synced")).isEqualTo(answer.get("synced").asInt());
            STRIPE.catalogue().addGenerated(random.nextInt(40));
        }
        Map<String, Integer> faults = STRIPE.faultsInjected();
        STRIPE.injectRandomFaults(0, 0);
        assertThat(JSON.readTree(triggerSync().body()).get("success").asBoolean()).isTrue();

        Set<String> catalogue = STRIPE.catalogue().all().stream().map(p -> (String) p.get("id"))
                .collect(Collectors.toSet());
        List<String> logged = jdbc.queryForList("SELECT stripe_product_id FROM stripe_products_log", String.class);
        Set<String> distinct = new HashSet<>(logged);
        int duplicates = logged.size() - distinct.size();
        Set<String> gaps = new HashSet<>(catalogue);
        gaps.removeAll(distinct);
        System.out.printf("%nSoak: %d runs (%d succeeded, %d failed after retries), %d faults injected %s, "
                        + "%d products, %d logged, %d duplicates, %d gaps%n%n", RUNS, succeeded, failed,
                faults.values().stream().mapToInt(Integer::intValue).sum(), faults, catalogue.size(), logged.size(),
                duplicates, gaps.size());

        assertThat(duplicates).isZero();
        assertThat(gaps).isEmpty();
        assertThat(distinct).isEqualTo(catalogue);
        assertThat(faults.values().stream().mapToInt(Integer::intValue).sum()).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs WHERE status = 'running'",
                Integer.class)).isZero();
    }
}
