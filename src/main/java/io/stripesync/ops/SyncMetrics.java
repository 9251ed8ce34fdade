package io.stripesync.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The sync's own metrics (Camel's route metrics come from camel-micrometer), all prefixed {@code stripe_sync_}:
 * runs by trigger and outcome, products by result, pages, retries by cause, run duration, and the time of the last
 * successful walk (read from the database, so it counts walks of every replica; events catch-ups do not count).
 */
@Component
public class SyncMetrics {

    private final MeterRegistry registry;

    public SyncMetrics(MeterRegistry registry, LastSuccessfulRun lastSuccessfulRun) {
        this.registry = registry;
        Gauge.builder("stripe_sync_last_success_timestamp_seconds", lastSuccessfulRun,
                        last -> last.finishedAt().map(t -> t.getEpochSecond()).orElse(0L).doubleValue())
                .description("Unix time when the last successful walk finished, on any replica (0: never)")
                .register(registry);
    }

    /** A run ended: {@code outcome} is succeeded, failed or interrupted. */
    public void runEnded(String trigger, String outcome, Duration duration, int pages, int scanned, int synced,
                         int skipped, int failed) {
        Counter.builder("stripe_sync_runs").description("Sync runs by trigger and outcome")
                .tag("trigger", trigger).tag("outcome", outcome).register(registry).increment();
        Timer.builder("stripe_sync_run_duration").description("Duration of sync runs")
                .tag("outcome", outcome).register(registry).record(duration);
        Counter.builder("stripe_sync_pages").description("Stripe pages walked").register(registry).increment(pages);
        products("scanned", scanned);
        products("synced", synced);
        products("skipped", skipped);
        products("failed", failed);
    }

    /** Another run held the lock: a trigger that did not start a run. */
    public void runRefused(String trigger) {
        Counter.builder("stripe_sync_runs").tag("trigger", trigger).tag("outcome", "busy").register(registry)
                .increment();
    }

    /** A step of a run is retried; {@code cause} is a Stripe status, or io, malformed_page, database. */
    public void retried(String cause) {
        Counter.builder("stripe_sync_retries").description("Retries of a failed step, by cause")
                .tag("cause", cause).register(registry).increment();
    }

    private void products(String result, int count) {
        Counter.builder("stripe_sync_products").description("Products seen by sync runs, by result")
                .tag("result", result).register(registry).increment(count);
    }
}
