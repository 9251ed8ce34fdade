package io.stripesync.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code stripe.*} settings of config/application.yaml, where each is documented. {@link SettingsCheck} checks
 * them before anything connects; what a constraint cannot say (the key's prefix, the URL) is checked there.
 */
@Validated
@ConfigurationProperties("stripe")
public record StripeSettings(
        String secretKey,
        String apiBaseUrl,
        String apiVersion,
        @Min(value = 1, message = "must be between 1 and 100 (Stripe's limit)")
        @Max(value = 100, message = "must be between 1 and 100 (Stripe's limit)")
        int pageSize,
        long connectTimeoutMs,
        long readTimeoutMs,
        String webhookSecret,
        @Min(value = 1, message = "must be at least 1 (seconds)") long webhookToleranceSeconds,
        @Min(value = 1024, message = "must be at least 1024 (bytes)") int webhookMaxBodyBytes) {

    /** The webhook's signing secrets: a comma-separated list, so that a secret can be rolled without downtime. */
    public java.util.List<String> webhookSecrets() {
        return webhookSecret == null ? java.util.List.of() : java.util.Arrays.stream(webhookSecret.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A live-mode key (sk_live_, rk_live_): a test-mode walk never marks live rows deleted. */
    public boolean livemode() {
        return secretKey != null && secretKey.startsWith("_live_", 2);
    }

    /** A record's own, with the key masked: settings can end up in a log line. */
    @Override
    public String toString() {
        return "StripeSettings[secretKey=" + Secrets.mask(secretKey) + ", apiBaseUrl=" + apiBaseUrl
                + ", apiVersion=" + apiVersion + ", pageSize=" + pageSize + ", connectTimeoutMs=" + connectTimeoutMs
                + ", readTimeoutMs=" + readTimeoutMs + ", webhookSecret=" + Secrets.mask(webhookSecret)
                + ", webhookToleranceSeconds=" + webhookToleranceSeconds + ", webhookMaxBodyBytes="
                + webhookMaxBodyBytes + "]";
    }
}
