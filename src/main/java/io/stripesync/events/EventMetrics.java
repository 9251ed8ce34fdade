package io.stripesync.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * How fresh the log is, on /actuator/prometheus: events received by source and type, their outcome (applied, ignored,
 * duplicate), webhook signature failures, seconds from an event's creation to its application, and the catch-up
 * cursor's age. A counter by tags is registered when first used; Micrometer hands back that meter afterwards.
 */
@Component
public class EventMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary lag;
    private final Counter signatureFailures;

    public EventMetrics(MeterRegistry registry, EventsCursor cursor) {
        this.registry = registry;
        this.lag = DistributionSummary.builder("stripe_sync_event_lag_seconds")
                .description("Seconds from a Stripe event's creation to the log applying it")
                .baseUnit("seconds").publishPercentileHistogram().register(registry);
        this.signatureFailures = Counter.builder("stripe_sync_webhook_signature_failures")
                .description("Webhook deliveries refused: signature missing, malformed, wrong or stale")
                .register(registry);
        Gauge.builder("stripe_sync_events_cursor_age_seconds", cursor,
                        c -> c.position().map(p -> (double) Duration.between(p.readAt(), Instant.now()).toSeconds())
                                .orElse(-1.0))
                .description("Seconds since the events catch-up last read Stripe's events (-1: never)")
                .register(registry);
    }

    void received(String source, String type) {
        Counter.builder("stripe_sync_events_received").description("Stripe events received, by source and type")
                .tag("source", source).tag("type", type).register(registry).increment();
    }

    void outcome(String outcome) {
        Counter.builder("stripe_sync_events").description("Stripe events by outcome: applied, ignored, duplicate")
                .tag("outcome", outcome).register(registry).increment();
    }

    void applied(Instant eventCreated) {
        outcome("applied");
        lag.record(Math.max(0, Duration.between(eventCreated, Instant.now()).toMillis() / 1000.0));
    }

    void signatureFailed() {
        signatureFailures.increment();
    }
}
