package io.stripesync.ops;

import io.stripesync.config.SyncSettings;
import io.stripesync.events.EventsCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code syncFreshness} in /actuator/health: OUT_OF_SERVICE when the last successful walk (of any replica) is older
 * than {@code sync.health.max-age} — the log may be missing products — or, while the events catch-up is on, when it
 * has not read Stripe's events for longer than {@code sync.events.health-max-age}. A service younger than those ages
 * with no run yet is UP: it has not had its chance.
 */
@Component("syncFreshness")
public class SyncFreshnessHealthIndicator implements HealthIndicator {

    private final LastSuccessfulRun lastSuccessfulRun;
    private final EventsCursor eventsCursor;
    private final Duration maxAge;
    private final Duration eventsMaxAge;
    private final boolean eventsOn;
    private final Instant startedAt = Instant.now();

    public SyncFreshnessHealthIndicator(LastSuccessfulRun lastSuccessfulRun, EventsCursor eventsCursor,
                                        SyncSettings settings) {
        this.lastSuccessfulRun = lastSuccessfulRun;
        this.eventsCursor = eventsCursor;
        this.maxAge = settings.health().maxAge();
        this.eventsMaxAge = settings.events().healthMaxAge();
        this.eventsOn = settings.events().enabled() && settings.schedule().enabled();
    }

    @Override
    public Health health() {
        Optional<Instant> last = lastSuccessfulRun.finishedAt();
        Instant now = Instant.now();
        Instant since = last.orElse(startedAt);
        boolean walkStale = Duration.between(since, now).compareTo(maxAge) > 0;
        Health.Builder health = Health.up().withDetail("lastSuccessfulRun", last.map(Instant::toString).orElse("none"))
                .withDetail("maxAge", maxAge.toString());
        boolean eventsStale = false;
        if (eventsOn) {
            Optional<Instant> read = eventsCursor.position().map(EventsCursor.Position::readAt);
            eventsStale = Duration.between(read.orElse(startedAt), now).compareTo(eventsMaxAge) > 0;
            health.withDetail("eventsReadAt", read.map(Instant::toString).orElse("never"))
                    .withDetail("eventsMaxAge", eventsMaxAge.toString());
        }
        return (walkStale || eventsStale ? health.status(Status.OUT_OF_SERVICE) : health).build();
    }
}
