package io.stripesync.sync;

import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps every walker of the service together below {@code sync.walk.max-requests-per-second} requests to Stripe:
 * each request takes the next free slot, one every 1/rate seconds, and waits for it. Staying under Stripe's limit
 * (25/s in test mode, 100/s live, shared by the whole account) beats retrying after 429s.
 */
@Component("stripeRateLimiter")
public class StripeRateLimiter {

    private final long intervalNanos;
    private long nextFreeNanos = System.nanoTime();

    public StripeRateLimiter(@Value("${sync.walk.max-requests-per-second}") double requestsPerSecond) {
        this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
    }

    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
