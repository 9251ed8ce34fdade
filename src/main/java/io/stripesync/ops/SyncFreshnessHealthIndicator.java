package io.stripesync.ops;

import io.stripesync.config.SyncSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code syncFreshness} in /actuator/health: OUT_OF_SERVICE when the last successful run (of any replica) is older
 * than {@code sync.health.max-age} — the log may be missing products. A service younger than that age with no
 * successful run yet is UP: it has not had its chance.
 */
@Component("syncFreshness")
public class SyncFreshnessHealthIndicator implements HealthIndicator {

    private final LastSuccessfulRun lastSuccessfulRun;
    private final Duration maxAge;
    private final Instant startedAt = Instant.now();

    public SyncFreshnessHealthIndicator(LastSuccessfulRun lastSuccessfulRun,
                                        SyncSettings settings) {
        this.lastSuccessfulRun = lastSuccessfulRun;
        this.maxAge = settings.health().maxAge();
    }

    @Override
    public Health health() {
        Optional<Instant> last = lastSuccessfulRun.finishedAt();
        Instant now = Instant.now();
        Instant since = last.orElse(startedAt);
        Health.Builder health = Duration.between(since, now).compareTo(maxAge) > 0
                ? Health.status(Status.OUT_OF_SERVICE) : Health.up();
        return health.withDetail("lastSuccessfulRun", last.map(Instant::toString).orElse("none"))
                .withDetail("maxAge", maxAge.toString()).build();
    }
}
